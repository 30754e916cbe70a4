// Functions that must inline wherever they are called: the lane operations
// and lane math, the update rules, the built-in surfaces and the formula rules
// all run per vector in the kernels' innermost loops, and GCC would otherwise
// call them, passing each vector through memory (several times slower).
#pragma once

#define DESCENT_INLINE [[gnu::always_inline]] inline
