#include "core/base/units.h"

#include <array>
#include <charconv>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "core/base/trimblanks.h"

namespace phaze {
namespace {

// How a unit scales to SI: by a power of ten (kept exact through decimal text), by a power of
// two (exact in binary floating point), or by an arbitrary factor (min, h, cm2).
enum class ScaleKind { Decimal, Binary, Factor };

struct Unit {
    std::string_view symbol;
    Dimension dimension;
    ScaleKind kind;
    int exponent;  // Decimal: power of ten; Binary: power of two
    double factor; // Factor only
};

constexpr Unit dec(std::string_view s, Dimension d, int e)
{
    return {s, d, ScaleKind::Decimal, e, 1.0};
}
constexpr Unit bin(std::string_view s, Dimension d, int e)
{
    return {s, d, ScaleKind::Binary, e, 1.0};
}
constexpr Unit fac(std::string_view s, Dimension d, double f)
{
    return {s, d, ScaleKind::Factor, 0, f};
}

using D = Dimension;
// Order matters for formatting: within a dimension and kind, largest first.
constexpr std::array kUnits = {
    bin("PiB", D::Bytes, 50),        bin("TiB", D::Bytes, 40),
    bin("GiB", D::Bytes, 30),        bin("MiB", D::Bytes, 20),
    bin("KiB", D::Bytes, 10),        dec("PB", D::Bytes, 15),
    dec("TB", D::Bytes, 12),         dec("GB", D::Bytes, 9),
    dec("MB", D::Bytes, 6),          dec("kB", D::Bytes, 3),
    dec("KB", D::Bytes, 3),          dec("B", D::Bytes, 0),
    dec("bytes", D::Bytes, 0),       dec("byte", D::Bytes, 0),
    bin("PiB/s", D::Bandwidth, 50),  bin("TiB/s", D::Bandwidth, 40),
    bin("GiB/s", D::Bandwidth, 30),  bin("MiB/s", D::Bandwidth, 20),
    bin("KiB/s", D::Bandwidth, 10),  dec("PB/s", D::Bandwidth, 15),
    dec("TB/s", D::Bandwidth, 12),   dec("GB/s", D::Bandwidth, 9),
    dec("MB/s", D::Bandwidth, 6),    dec("kB/s", D::Bandwidth, 3),
    dec("KB/s", D::Bandwidth, 3),    dec("B/s", D::Bandwidth, 0),
    dec("THz", D::Frequency, 12),    dec("GHz", D::Frequency, 9),
    dec("MHz", D::Frequency, 6),     dec("kHz", D::Frequency, 3),
    dec("Hz", D::Frequency, 0),      fac("h", D::Time, 3600.0),
    fac("min", D::Time, 60.0),       dec("s", D::Time, 0),
    dec("ms", D::Time, -3),          dec("us", D::Time, -6),
    dec("\xC2\xB5s", D::Time, -6),   dec("ns", D::Time, -9),
    dec("ps", D::Time, -12),         fac("cm2", D::Area, 100.0),
    dec("mm2", D::Area, 0),          fac("mm^2", D::Area, 1.0),
    fac("mm\xC2\xB2", D::Area, 1.0), dec("um2", D::Area, -6),
    dec("J", D::Energy, 0),          dec("mJ", D::Energy, -3),
    dec("uJ", D::Energy, -6),        dec("nJ", D::Energy, -9),
    dec("pJ", D::Energy, -12),       dec("fJ", D::Energy, -15),
    dec("PFLOP/s", D::FlopRate, 15), dec("TFLOP/s", D::FlopRate, 12),
    dec("GFLOP/s", D::FlopRate, 9),  dec("MFLOP/s", D::FlopRate, 6),
    dec("FLOP/s", D::FlopRate, 0),   dec("kW", D::Power, 3),
    dec("W", D::Power, 0),           dec("mW", D::Power, -3),
};

const Unit *findUnit(std::string_view symbol)
{
    for (const Unit &u : kUnits)
        if (u.symbol == symbol)
            return &u;
    return nullptr;
}

// Splits "1.5e3 GiB" into mantissa "1.5", exponent 3 and the rest "GiB". Returns false when the
// text does not start with a decimal number (this also rules out "nan" and "inf").
bool splitNumber(std::string_view s, std::string &mantissa, long &exponent, std::string_view &rest)
{
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    size_t digits = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        ++i;
        ++digits;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
            ++i;
            ++digits;
        }
    }
    if (digits == 0)
        return false;
    mantissa = std::string(s.substr(0, i));
    exponent = 0;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < s.size() && (s[j] == '+' || s[j] == '-'))
            ++j;
        size_t start = j;
        while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j])))
            ++j;
        if (j > start) {
            std::string expText(s.substr(i + 1, j - i - 1));
            if (expText.size() > 6)
                return false;
            exponent = std::strtol(expText.c_str(), nullptr, 10);
            i = j;
        }
    }
    rest = trimBlanks(s.substr(i));
    return true;
}

std::optional<double> decimalValue(const std::string &mantissa, long exponent)
{
    std::string text = mantissa + "e" + std::to_string(exponent);
    double v = 0.0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

// Digits and decimal exponent of the shortest round-trip representation: x = 0.d1d2..dn * 10^e
// written as d1.d2..dn * 10^exp10.
struct DecimalDigits {
    bool negative = false;
    std::string digits;
    int exp10 = 0;
};

DecimalDigits shortestDigits(double x)
{
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
    DecimalDigits out;
    if (!s.empty() && s.front() == '-') {
        out.negative = true;
        s.remove_prefix(1);
    }
    size_t e = s.find('e');
    for (char c : s.substr(0, e))
        if (c != '.')
            out.digits += c;
    out.exp10 = std::atoi(std::string(s.substr(e + 1)).c_str());
    while (out.digits.size() > 1 && out.digits.back() == '0')
        out.digits.pop_back();
    return out;
}

// Writes d1.d2..dn * 10^(exp10 - shift) in plain positional notation.
std::string positional(const DecimalDigits &d, int shift)
{
    int pointPos = d.exp10 - shift + 1; // digits before the decimal point
    std::string out = d.negative ? "-" : "";
    const int n = static_cast<int>(d.digits.size());
    if (pointPos <= 0) {
        out += "0.";
        out.append(static_cast<size_t>(-pointPos), '0');
        out += d.digits;
    } else if (pointPos >= n) {
        out += d.digits;
        out.append(static_cast<size_t>(pointPos - n), '0');
    } else {
        out += d.digits.substr(0, static_cast<size_t>(pointPos));
        out += '.';
        out += d.digits.substr(static_cast<size_t>(pointPos));
    }
    return out;
}

bool binaryAllowed(Dimension d)
{
    return d == Dimension::Bytes || d == Dimension::Bandwidth;
}

// Preferred unit symbols per dimension for formatting, largest first (skipping aliases).
std::vector<const Unit *> formatUnits(Dimension d, ScaleKind kind)
{
    std::vector<const Unit *> out;
    for (const Unit &u : kUnits) {
        if (u.dimension != d || u.kind != kind)
            continue;
        if (u.symbol == "KB" || u.symbol == "KB/s" || u.symbol == "bytes" || u.symbol == "byte" ||
            u.symbol == "\xC2\xB5s")
            continue;
        out.push_back(&u);
    }
    return out;
}

std::string withArticle(std::string_view noun)
{
    const bool vowel =
        !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(noun);
}

std::string exampleFor(Dimension d)
{
    switch (d) {
    case Dimension::Bytes:
        return "\"32 GiB\"";
    case Dimension::Bandwidth:
        return "\"1.2 TB/s\"";
    case Dimension::Frequency:
        return "\"940 MHz\"";
    case Dimension::Time:
        return "\"3 ms\"";
    case Dimension::Area:
        return "\"600 mm2\"";
    case Dimension::Energy:
        return "\"0.5 pJ\"";
    case Dimension::FlopRate:
        return "\"275 TFLOP/s\"";
    case Dimension::Power:
        return "\"400 W\"";
    case Dimension::Count:
        break;
    }
    return "\"42\"";
}

} // namespace

std::string_view dimensionNoun(Dimension d)
{
    switch (d) {
    case Dimension::Count:
        return "number";
    case Dimension::Bytes:
        return "size";
    case Dimension::Bandwidth:
        return "bandwidth";
    case Dimension::Frequency:
        return "frequency";
    case Dimension::Time:
        return "time";
    case Dimension::Area:
        return "area";
    case Dimension::Energy:
        return "energy";
    case Dimension::FlopRate:
        return "compute rate";
    case Dimension::Power:
        return "power";
    }
    return "number";
}

std::string_view dimensionKey(Dimension d)
{
    switch (d) {
    case Dimension::Count:
        return "count";
    case Dimension::Bytes:
        return "bytes";
    case Dimension::Bandwidth:
        return "bandwidth";
    case Dimension::Frequency:
        return "frequency";
    case Dimension::Time:
        return "time";
    case Dimension::Area:
        return "area";
    case Dimension::Energy:
        return "energy";
    case Dimension::FlopRate:
        return "flop_rate";
    case Dimension::Power:
        return "power";
    }
    return "count";
}

std::string_view baseUnit(Dimension d)
{
    switch (d) {
    case Dimension::Count:
        return "";
    case Dimension::Bytes:
        return "B";
    case Dimension::Bandwidth:
        return "B/s";
    case Dimension::Frequency:
        return "Hz";
    case Dimension::Time:
        return "s";
    case Dimension::Area:
        return "mm2";
    case Dimension::Energy:
        return "J";
    case Dimension::FlopRate:
        return "FLOP/s";
    case Dimension::Power:
        return "W";
    }
    return "";
}

std::string shortestNumber(double value)
{
    if (!std::isfinite(value))
        return std::isnan(value) ? "nan" : (value > 0 ? "inf" : "-inf");
    DecimalDigits d = shortestDigits(value);
    if (d.exp10 >= -5 && d.exp10 <= 16)
        return positional(d, 0);
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, value);
    return std::string(buf, static_cast<size_t>(res.ptr - buf));
}

QuantityParse parseQuantity(std::string_view text, Dimension expected)
{
    QuantityParse out;
    const std::string_view s = trimBlanks(text);
    const std::string quoted = "\"" + std::string(s) + "\"";
    std::string mantissa;
    long exponent = 0;
    std::string_view unitText;
    if (!splitNumber(s, mantissa, exponent, unitText)) {
        out.error = quoted + " is not a number";
        if (expected != Dimension::Count)
            out.error += " with a unit (e.g. " + exampleFor(expected) + ")";
        return out;
    }
    if (unitText.empty()) {
        auto v = decimalValue(mantissa, exponent);
        if (!v) {
            out.error = quoted + " is out of range";
            return out;
        }
        out.ok = true;
        out.value = *v;
        return out;
    }
    const Unit *unit = findUnit(unitText);
    if (!unit) {
        out.error = "unknown unit \"" + std::string(unitText) + "\" in " + quoted;
        return out;
    }
    if (unit->dimension != expected) {
        out.error = quoted + " is " + withArticle(dimensionNoun(unit->dimension)) + ", expected " +
                    (expected == Dimension::Count ? std::string("a plain number")
                                                  : withArticle(dimensionNoun(expected)));
        return out;
    }
    std::optional<double> v;
    switch (unit->kind) {
    case ScaleKind::Decimal:
        v = decimalValue(mantissa, exponent + unit->exponent);
        break;
    case ScaleKind::Binary:
        v = decimalValue(mantissa, exponent);
        if (v)
            v = std::ldexp(*v, unit->exponent);
        break;
    case ScaleKind::Factor:
        v = decimalValue(mantissa, exponent);
        if (v)
            v = *v * unit->factor;
        break;
    }
    if (!v || !std::isfinite(*v)) {
        out.error = quoted + " is out of range";
        return out;
    }
    out.ok = true;
    out.value = *v;
    return out;
}

std::string formatQuantity(double value, Dimension dimension)
{
    const std::string base(baseUnit(dimension));
    auto withUnit = [](std::string number, std::string_view unit) {
        return unit.empty() ? number : number + " " + std::string(unit);
    };
    if (!std::isfinite(value) || value == 0.0 || dimension == Dimension::Count)
        return withUnit(shortestNumber(value), base);
    const double magnitude = std::fabs(value);

    // Binary units first for sizes and bandwidths, but only when the scaled value is short
    // ("32 GiB", not "0.931322574615479 GiB").
    if (binaryAllowed(dimension)) {
        for (const Unit *u : formatUnits(dimension, ScaleKind::Binary)) {
            const double scaled = std::ldexp(value, -u->exponent);
            if (std::fabs(scaled) < 1.0)
                continue;
            if (shortestDigits(scaled).digits.size() <= 4)
                return withUnit(shortestNumber(scaled), u->symbol);
            break;
        }
    }
    const DecimalDigits digits = shortestDigits(value);
    const Unit *chosen = nullptr;
    for (const Unit *u : formatUnits(dimension, ScaleKind::Decimal)) {
        chosen = u;
        if (magnitude >= std::pow(10.0, u->exponent) * (1.0 - 1e-12))
            break;
    }
    // Far outside the units' span (1e308 B, 1e-300 s) a positional number would run to
    // hundreds of zeros: scientific notation in the base unit says the same in a few characters.
    if (!chosen || digits.exp10 - chosen->exponent > 16 || digits.exp10 - chosen->exponent < -5)
        return withUnit(shortestNumber(value), base);
    return withUnit(positional(digits, chosen->exponent), chosen->symbol);
}

std::string formatHuman(double value, Dimension dimension, int significantDigits)
{
    const std::string base(baseUnit(dimension));
    auto render = [significantDigits](double v, std::string_view unit) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*g", significantDigits, v);
        return unit.empty() ? std::string(buf) : std::string(buf) + " " + std::string(unit);
    };
    if (!std::isfinite(value) || value == 0.0 || dimension == Dimension::Count)
        return render(value, base);
    const double magnitude = std::fabs(value);
    if (dimension == Dimension::Bytes) {
        for (const Unit *u : formatUnits(dimension, ScaleKind::Binary))
            if (magnitude >= std::ldexp(1.0, u->exponent))
                return render(std::ldexp(value, -u->exponent), u->symbol);
        return render(value, base);
    }
    const Unit *chosen = nullptr;
    for (const Unit *u : formatUnits(dimension, ScaleKind::Decimal)) {
        chosen = u;
        if (magnitude >= std::pow(10.0, u->exponent) * (1.0 - 1e-12))
            break;
    }
    if (!chosen)
        return render(value, base);
    return render(value / std::pow(10.0, chosen->exponent), chosen->symbol);
}

} // namespace phaze
