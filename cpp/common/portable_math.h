// x^y for x > 0 from IEEE + - * / and exact scaling only, so it gives the
// same bits on every platform and in every engine (native glibc and
// Emscripten's musl pow disagree in the last bit for about 6 in 10,000
// arguments, which a chaotic surface then amplifies between the CLI and the
// page). Accurate to a few ulp where |y log x| < 700, which is all ASGD's rate
// (1 + lambd lr t)^alpha needs (its only user). No libm function is called.
#pragma once

#include <cmath>

namespace descent {

// ln 2 split so that e * kLn2Hi is exact for the exponents a double has.
inline constexpr double kLn2Hi = 0.693147180369123816490, kLn2Lo = 1.90821492927058770002e-10;

// log(x) for finite x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), then
// log m = 2 atanh(s), s = (m - 1) / (m + 1), by its series.
inline double portable_log(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // exact: m in [0.5, 1)
  if (m < 0.70710678118654752440) {
    m *= 2.0;
    --e;
  }
  const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  double term = s, sum = 0.0;
  for (int k = 1; k < 60; k += 2) {
    const double next = sum + term / k;
    if (next == sum) break;
    sum = next;
    term *= s2;
  }
  return e * kLn2Hi + (2.0 * sum + e * kLn2Lo);
}

// exp(z) for |z| < 700: z = k ln2 + r with |r| <= ln2 / 2, exp(r) by its
// Taylor series, scaled by 2^k exactly.
inline double portable_exp(double z) {
  const double k = std::nearbyint(z / 0.69314718055994530942);
  const double r = (z - k * kLn2Hi) - k * kLn2Lo;
  double term = 1.0, sum = 1.0;
  for (int n = 1; n < 40; ++n) {
    term *= r / n;
    const double next = sum + term;
    if (next == sum) break;
    sum = next;
  }
  return std::ldexp(sum, static_cast<int>(k));
}

inline double portable_pow(double x, double y) { return portable_exp(y * portable_log(x)); }

}  // namespace descent
