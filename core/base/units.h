#pragma once

// Quantities with units. The engine is SI inside (bytes, bytes/s, Hz, s, mm^2, J, FLOP/s);
// units exist only at the edges: YAML fields, the CLI and the views.
//
// formatQuantity() is lossless: parseQuantity(formatQuantity(x, d), d) == x bit for bit, which
// is what makes project files round-trip.

#include <string>
#include <string_view>

namespace phaze {

enum class Dimension {
    Count,     // a plain number
    Bytes,     // B, KiB, MB, GiB, ...
    Bandwidth, // B/s, GB/s, GiB/s, TB/s, ...
    Frequency, // Hz, MHz, GHz
    Time,      // s, ms, us, ns, min, h
    Area,      // mm2 (the engine's area unit)
    Energy,    // J, mJ, uJ, nJ, pJ
    FlopRate,  // FLOP/s, GFLOP/s, TFLOP/s, PFLOP/s
    Power,     // W, kW, mW (kept last: tests iterate Count .. Power)
};

struct QuantityParse {
    bool ok = false;
    double value = 0.0; // SI
    std::string error;  // e.g. "\"64 GB/s\" is a bandwidth, expected a size"
};

// Parses "32 GiB", "1.2 TB/s", "940 MHz", "3 ms", "128MiB", or a bare number (taken in the base
// unit). Rejects NaN, infinities, unknown units and units of another dimension.
QuantityParse parseQuantity(std::string_view text, Dimension expected);

// Exact text for a value, in the most natural unit that represents it without loss.
std::string formatQuantity(double value, Dimension dimension);

// Rounded text for display, e.g. "1.2 TB/s", "41.2 GiB" (significant digits).
std::string formatHuman(double value, Dimension dimension, int significantDigits = 3);

// "size", "bandwidth", "frequency", ... as used in error messages.
std::string_view dimensionNoun(Dimension dimension);
// "B", "B/s", "Hz", "s", "mm2", "J", "FLOP/s", "W", "" for Count.
std::string_view baseUnit(Dimension dimension);
// "count", "bytes", "bandwidth", ... : the stable key used in the registry and JSON.
std::string_view dimensionKey(Dimension dimension);

// Shortest decimal text that parses back to exactly the same double ("0.1", "1e+300").
std::string shortestNumber(double value);

} // namespace phaze
