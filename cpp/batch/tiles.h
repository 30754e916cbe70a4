// The loop every batch kernel runs: n elements in tiles of Unroll vectors of
// V::kLanes lanes, with the tail handled explicitly. The tail (n mod tile
// elements) goes through the same per-vector body on zero-padded copies of the
// streams, and only its n mod tile elements are written back, so no kernel
// reads or writes past n and the last elements get the very operations the
// others get.
#pragma once

#include <cstddef>
#include <cstring>
#include <tuple>
#include <type_traits>

#include "lanes/float_format.h"

namespace descent::batch {

namespace detail {

template <class P, std::size_t kTile>
struct Padded {
  alignas(16) std::remove_const_t<P> v[kTile] = {};
};

}  // namespace detail

// body(p...) handles one tile: kTile elements from each stream pointer.
// Streams are const for inputs, non-const for outputs and in-out state.
template <std::size_t kTile, class Body, class... P>
DESCENT_INLINE void for_each_tile(std::size_t n, Body&& body, P*... streams) {
  std::size_t i = 0;
  for (; i + kTile <= n; i += kTile) body((streams + i)...);
  if (i == n) return;
  const std::size_t rest = n - i;
  std::tuple<detail::Padded<P, kTile>...> pads;
  std::apply([&](auto&... pad) { (std::memcpy(pad.v, streams + i, rest * sizeof(P)), ...); }, pads);
  std::apply([&](auto&... pad) { body(pad.v...); }, pads);
  std::apply(
      [&](auto&... pad) {
        auto write_back = [&](auto* stream, auto& padded) {
          if constexpr (!std::is_const_v<std::remove_pointer_t<decltype(stream)>>)
            std::memcpy(stream + i, padded.v, rest * sizeof(*stream));
        };
        (write_back(streams, pad), ...);
      },
      pads);
}

// body(p...) handles one vector: V::kLanes elements from each stream pointer,
// Unroll vectors per tile.
template <class V, int Unroll, class Body, class... P>
DESCENT_INLINE void tiles(std::size_t n, Body&& body, P*... streams) {
  constexpr std::size_t kLanes = static_cast<std::size_t>(V::kLanes);
  for_each_tile<kLanes * Unroll>(
      n,
      [&](P*... tile) {
        for (std::size_t u = 0; u < kLanes * Unroll; u += kLanes) body((tile + u)...);
      },
      streams...);
}

}  // namespace descent::batch
