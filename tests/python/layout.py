"""Sizes and offsets of the mirrored structs, one `STRUCT FIELD offset N`
line per field and `STRUCT size N`, from ctypes (`layout.py ctypes`) or
from the C compiler through the program `layout.py c` prints."""
import ctypes
import sys

from steerwatch._structs import STRUCTS


def lines_ctypes():
    for s in STRUCTS:
        for name, *_ in s._fields_:
            print("%s %s offset %d" % (s.__name__, name,
                                       getattr(s, name).offset))
        print("%s size %d" % (s.__name__, ctypes.sizeof(s)))


def program_c():
    print("#include <stddef.h>\n#include <stdio.h>\n"
          "#include \"steerwatch.h\"\nint main(void) {")
    for s in STRUCTS:
        n = s.__name__
        for name, *_ in s._fields_:
            print('  printf("%s %s offset %%zu\\n", offsetof(%s, %s));'
                  % (n, name, n, name))
        print('  printf("%s size %%zu\\n", sizeof(%s));' % (n, n))
    print("  return 0;\n}")


if __name__ == "__main__":
    {"ctypes": lines_ctypes, "c": program_c}[sys.argv[1]]()
