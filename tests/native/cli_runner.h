// Runs the `descent` binary as a user does (DESCENT_CLI_PATH, set by the
// suite's CMakeLists) and captures exit status, stdout and stderr.
#pragma once

#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace descent::testing {

struct CliResult {
  int status;
  std::string out;
  std::string err;
};

// `args` are already shell-quoted. stderr goes through a file named after the
// process, so suites running in parallel never share one.
inline CliResult run_cli(const std::string& args) {
  const std::string err_file = "cli_stderr_" + std::to_string(getpid()) + ".txt";
  const std::string command = std::string(DESCENT_CLI_PATH) + " " + args + " 2>" + err_file;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  std::string err;
  if (FILE* f = std::fopen(err_file.c_str(), "r")) {
    while ((n = std::fread(buffer.data(), 1, buffer.size(), f)) > 0) err.append(buffer.data(), n);
    std::fclose(f);
  }
  std::remove(err_file.c_str());
  return {WEXITSTATUS(status), out, err};
}

inline int count_lines(const std::string& s) {
  int lines = 0;
  for (char c : s) lines += c == '\n';
  return lines;
}

// Bad input: exit status 2, nothing on stdout, one stderr line holding `message`.
inline void check_cli_error(const std::string& args, const std::string& message) {
  CAPTURE(args);
  const CliResult r = run_cli(args);
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(count_lines(r.err) == 1);
  CHECK_THAT(r.err, Catch::Contains(message));
}

}  // namespace descent::testing
