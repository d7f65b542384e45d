// doctest's main() for unit_tests: the test_*.cpp files register their cases.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
