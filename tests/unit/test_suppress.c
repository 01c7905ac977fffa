/*
 * test_suppress.c — small-cell suppression: cells from 1 to k - 1 are
 * withheld, a lone withheld cell gets a partner, the withheld cells of each
 * total add up to 0 or at least k, zeros stay shown, and a table with
 * nothing small withholds nothing.
 */
#include "suppress.h"
#include "testutil.h"

static void test_small_cell_and_its_smallest_partner_are_withheld(void **s) {
  (void)s;
  const uint64_t cells[] = {35, 3, 40, 12, 0};
  uint8_t hidden[5];
  sw__suppress(cells, 5, 1, 10, hidden);
  const uint8_t want[] = {0, 1, 0, 1, 0};
  assert_memory_equal(hidden, want, sizeof want);
  assert_int_equal(sw__suppressed(hidden, 5), 2);
}

static void test_withheld_cells_add_up_to_at_least_k(void **s) {
  (void)s;
  /* Two small cells add up to 5: a third, the smallest shown, joins. */
  const uint64_t cells[] = {2, 3, 50, 20, 30};
  uint8_t hidden[5];
  sw__suppress(cells, 5, 1, 10, hidden);
  const uint8_t want[] = {1, 1, 0, 1, 0};
  assert_memory_equal(hidden, want, sizeof want);
}

static void test_every_dimension_is_protected(void **s) {
  (void)s;
  /* Unit 0 is small in dimension 1 only; its partner must be found in
   * dimension 1 (unit 2), not dimension 0. */
  const uint64_t cells[] = {50, 4, 11, 0, 60, 25, 70, 30};
  uint8_t hidden[4];
  sw__suppress(cells, 4, 2, 10, hidden);
  const uint8_t want[] = {1, 0, 1, 0};
  assert_memory_equal(hidden, want, sizeof want);
}

static void test_nothing_small_withholds_nothing(void **s) {
  (void)s;
  const uint64_t cells[] = {10, 0, 11, 400};
  uint8_t hidden[4] = {1, 1, 1, 1};
  sw__suppress(cells, 4, 1, 10, hidden);
  assert_int_equal(sw__suppressed(hidden, 4), 0);
}

static void test_a_small_total_withholds_all_it_can(void **s) {
  (void)s;
  const uint64_t cells[] = {2, 3, 0};
  uint8_t hidden[3];
  sw__suppress(cells, 3, 1, 10, hidden);
  const uint8_t want[] = {1, 1, 0};
  assert_memory_equal(hidden, want, sizeof want);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_small_cell_and_its_smallest_partner_are_withheld),
      cmocka_unit_test(test_withheld_cells_add_up_to_at_least_k),
      cmocka_unit_test(test_every_dimension_is_protected),
      cmocka_unit_test(test_nothing_small_withholds_nothing),
      cmocka_unit_test(test_a_small_total_withholds_all_it_can),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
