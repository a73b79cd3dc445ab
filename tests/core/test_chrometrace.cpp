// Chrome-trace export: the structure Perfetto expects, in microseconds.

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/io/chrometrace.h"

using namespace phaze;

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
        const QJsonArray events = root.value("traceEvents").toArray();
        QCOMPARE(events.size(), 1 + 2 * 2 + 2);
        int complete = 0;
        for (const QJsonValue &v : events) {
            const QJsonObject e = v.toObject();
            if (e.value("ph") == "M" && e.value("name") == "thread_name" && e.value("tid") == 1)
                QCOMPARE(e.value("args").toObject().value("name").toString(), QString("VC 0"));
            if (e.value("ph") != "X")
                continue;
            ++complete;
            if (e.value("name") == "attn.qkv") {
                QCOMPARE(e.value("ts").toDouble(), 1500.0);
                QCOMPARE(e.value("dur").toDouble(), 2.0);
                QCOMPARE(e.value("args").toObject().value("mode").toString(), QString("single"));
            } else {
                QCOMPARE(e.value("args").toObject().value("flops").toDouble(), 42.0);
            }
        }
        QCOMPARE(complete, 2);
    }
};

QTEST_APPLESS_MAIN(TestChromeTrace)
#include "test_chrometrace.moc"
