// Units: parsing, error messages and lossless formatting.

#include <QtTest>

#include <cmath>
#include <random>

#include "core/base/units.h"
#include "tests/support/testseed.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestUnits : public QObject
{
    Q_OBJECT

private slots:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("dimension");
        QTest::addColumn<double>("expected");
        const double GiB = 1073741824.0;
        QTest::newRow("32 GiB") << "32 GiB" << int(Dimension::Bytes) << 32 * GiB;
        QTest::newRow("128 MiB") << "128 MiB" << int(Dimension::Bytes) << 128.0 * 1048576;
        QTest::newRow("no space") << "128MiB" << int(Dimension::Bytes) << 128.0 * 1048576;
        QTest::newRow("80 GB") << "80 GB" << int(Dimension::Bytes) << 80e9;
        QTest::newRow("bare bytes") << "34359738368" << int(Dimension::Bytes) << 32 * GiB;
        QTest::newRow("4 GiB/s") << "4 GiB/s" << int(Dimension::Bandwidth) << 4 * GiB;
        QTest::newRow("1.2 TB/s") << "1.2 TB/s" << int(Dimension::Bandwidth) << 1.2e12;
        QTest::newRow("1.05 GHz") << "1.05 GHz" << int(Dimension::Frequency) << 1.05e9;
        QTest::newRow("940 MHz") << "940 MHz" << int(Dimension::Frequency) << 940e6;
        QTest::newRow("3 ms") << "3 ms" << int(Dimension::Time) << 3e-3;
        QTest::newRow("2 min") << "2 min" << int(Dimension::Time) << 120.0;
        QTest::newRow("exponent") << "1.5e3 MB" << int(Dimension::Bytes) << 1.5e9;
        QTest::newRow("area") << "600 mm2" << int(Dimension::Area) << 600.0;
        QTest::newRow("energy") << "0.5 pJ" << int(Dimension::Energy) << 0.5e-12;
        QTest::newRow("flops") << "275 TFLOP/s" << int(Dimension::FlopRate) << 275e12;
        QTest::newRow("power") << "0.4 kW" << int(Dimension::Power) << 400.0;
        QTest::newRow("count") << "  42 " << int(Dimension::Count) << 42.0;
        QTest::newRow("negative") << "-3" << int(Dimension::Count) << -3.0;
    }

    void parse()
    {
        QFETCH(QString, text);
        QFETCH(int, dimension);
        QFETCH(double, expected);
        const QuantityParse p = parseQuantity(text.toStdString(), Dimension(dimension));
        QVERIFY2(p.ok, p.error.c_str());
        QCOMPARE(p.value, expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("dimension");
        QTest::addColumn<QString>("message");
        QTest::newRow("bandwidth for size")
            << "64 GB/s" << int(Dimension::Bytes) << "\"64 GB/s\" is a bandwidth, expected a size";
        QTest::newRow("size for bandwidth")
            << "64 GB" << int(Dimension::Bandwidth) << "\"64 GB\" is a size, expected a bandwidth";
        QTest::newRow("unit for count")
            << "3 ms" << int(Dimension::Count) << "\"3 ms\" is a time, expected a plain number";
        QTest::newRow("unknown unit")
            << "64 GBs" << int(Dimension::Bytes) << "unknown unit \"GBs\" in \"64 GBs\"";
        QTest::newRow("nan") << "nan" << int(Dimension::Count) << "\"nan\" is not a number";
        QTest::newRow("inf") << "inf GiB" << int(Dimension::Bytes) << "is not a number";
        QTest::newRow("empty") << "" << int(Dimension::Bytes) << "is not a number";
        QTest::newRow("overflow") << "1e400" << int(Dimension::Count) << "out of range";
        QTest::newRow("overflow binary") << "1e300 PiB" << int(Dimension::Bytes) << "out of range";
        QTest::newRow("words") << "lots" << int(Dimension::Bytes) << "(e.g. \"32 GiB\")";
    }

    void errors()
    {
        QFETCH(QString, text);
        QFETCH(int, dimension);
        QFETCH(QString, message);
        const QuantityParse p = parseQuantity(text.toStdString(), Dimension(dimension));
        QVERIFY(!p.ok);
        QVERIFY2(QString::fromStdString(p.error).contains(message), p.error.c_str());
    }

    void format_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("dimension");
        QTest::addColumn<QString>("expected");
        QTest::newRow("32 GiB") << 34359738368.0 << int(Dimension::Bytes) << "32 GiB";
        QTest::newRow("128 MiB") << 134217728.0 << int(Dimension::Bytes) << "128 MiB";
        QTest::newRow("1 GB") << 1e9 << int(Dimension::Bytes) << "1 GB";
        QTest::newRow("odd bytes") << 1234567.0 << int(Dimension::Bytes) << "1.234567 MB";
        QTest::newRow("4 GiB/s") << 4294967296.0 << int(Dimension::Bandwidth) << "4 GiB/s";
        QTest::newRow("1.2 TB/s") << 1.2e12 << int(Dimension::Bandwidth) << "1.2 TB/s";
        QTest::newRow("1.05 GHz") << 1.05e9 << int(Dimension::Frequency) << "1.05 GHz";
        QTest::newRow("940 MHz") << 940e6 << int(Dimension::Frequency) << "940 MHz";
        QTest::newRow("3 ms") << 3e-3 << int(Dimension::Time) << "3 ms";
        QTest::newRow("10 s") << 10.0 << int(Dimension::Time) << "10 s";
        QTest::newRow("count") << 4096.0 << int(Dimension::Count) << "4096";
        QTest::newRow("fraction") << 0.3 << int(Dimension::Count) << "0.3";
        QTest::newRow("zero") << 0.0 << int(Dimension::Bytes) << "0 B";
        // Far beyond the units: scientific notation, not hundreds of digits.
        QTest::newRow("1e308 B") << 1e308 << int(Dimension::Bytes) << "1e+308 B";
        QTest::newRow("1e-300 s") << 1e-300 << int(Dimension::Time) << "1e-300 s";
        QTest::newRow("max Hz") << 1.7976931348623157e308 << int(Dimension::Frequency)
                                << "1.7976931348623157e+308 Hz";
    }

    void format()
    {
        QFETCH(double, value);
        QFETCH(int, dimension);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(formatQuantity(value, Dimension(dimension))), expected);
    }

    // parse(format(x)) == x bit for bit, over many random magnitudes and every dimension.
    void roundTripIsLossless()
    {
        std::mt19937_64 rng(testsupport::testSeed("random magnitudes", 12345));
        std::uniform_real_distribution<double> mantissa(1.0, 10.0);
        std::uniform_int_distribution<int> exponent(-300, 300);
        for (int dim = int(Dimension::Count); dim <= int(Dimension::Power); ++dim) {
            for (int i = 0; i < 3000; ++i) {
                // Half within the units' span, half anywhere in the double range.
                double x =
                    mantissa(rng) * std::pow(10.0, i % 2 ? exponent(rng) % 17 : exponent(rng));
                if (i % 3 == 0)
                    x = std::ldexp(double(i % 1000 + 1), i % 40); // binary-friendly values
                const std::string text = formatQuantity(x, Dimension(dim));
                const QuantityParse p = parseQuantity(text, Dimension(dim));
                QVERIFY2(p.ok, (text + ": " + p.error).c_str());
                QVERIFY2(p.value == x, (text + " does not round-trip").c_str());
            }
        }
    }

    void human()
    {
        QCOMPARE(QString::fromStdString(formatHuman(41.2 * 1073741824.0, Dimension::Bytes)),
                 u"41.2 GiB"_s);
        QCOMPARE(QString::fromStdString(formatHuman(275.2e12, Dimension::FlopRate)),
                 u"275 TFLOP/s"_s);
        QCOMPARE(QString::fromStdString(formatHuman(1.2e12, Dimension::Bandwidth)), u"1.2 TB/s"_s);
    }
};

QTEST_APPLESS_MAIN(TestUnits)
#include "test_units.moc"
