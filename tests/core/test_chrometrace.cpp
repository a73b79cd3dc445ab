// Chrome-trace export: the structure Perfetto expects, in microseconds.

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/io/chrometrace.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestChromeTrace : public QObject
{
    Q_OBJECT

private slots:
    void writesTracksAndEvents()
    {
        ChromeTrace trace;
        trace.nameProcess(1, "block.0 forward");
        trace.nameTrack(1, 0, "TC 0");
        trace.nameTrack(1, 1, "VC 0");
        trace.add({"attn.qkv", "forward", 1, 0, 1.5e-3, 2e-6, {{"mode", std::string("single")}}});
        trace.add({"softmax", "forward", 1, 1, 2e-3, 1e-3, {{"flops", 42.0}}});
        const QJsonObject root =
            QJsonDocument::fromJson(QByteArray::fromStdString(trace.toJson())).object();
        const QJsonArray events = root.value(u"traceEvents"_s).toArray();
        QCOMPARE(events.size(), 1 + 2 * 2 + 2);
        int complete = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (e.value(u"ph"_s) == u"M"_s && e.value(u"name"_s) == u"thread_name"_s &&
                e.value(u"tid"_s) == 1)
                QCOMPARE(e.value(u"args"_s).toObject().value(u"name"_s).toString(), u"VC 0"_s);
            if (e.value(u"ph"_s) != u"X"_s)
                continue;
            ++complete;
            if (e.value(u"name"_s) == u"attn.qkv"_s) {
                QCOMPARE(e.value(u"ts"_s).toDouble(), 1500.0);
                QCOMPARE(e.value(u"dur"_s).toDouble(), 2.0);
                QCOMPARE(e.value(u"args"_s).toObject().value(u"mode"_s).toString(), u"single"_s);
            } else {
                QCOMPARE(e.value(u"args"_s).toObject().value(u"flops"_s).toDouble(), 42.0);
            }
        }
        QCOMPARE(complete, 2);
    }
};

QTEST_APPLESS_MAIN(TestChromeTrace)
#include "test_chrometrace.moc"
