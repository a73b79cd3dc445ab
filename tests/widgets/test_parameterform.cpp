// Registry-generated editors: validation as you type, edits through the undo stack.

#include <QtTest>

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>

#include "widgets/acceleratorpanel.h"
#include "widgets/parameterform.h"
#include "widgets/projectpanel.h"
#include "widgets/session.h"

using namespace phaze;

class TestParameterForm : public QObject
{
    Q_OBJECT

private slots:
    void editUndoRedo()
    {
        Session session;
        ParameterForm form(&session, "training");
        auto *hbm = qobject_cast<QLineEdit *>(form.editorFor("hbm_sizes"));
        QVERIFY(hbm);
        QCOMPARE(hbm->text(), QString("[32 GiB, 64 GiB, 80 GiB]"));
        QVERIFY(hbm->toolTip().contains("HBM capacities"));
        hbm->setText("[16 GiB]");
        emit hbm->editingFinished();
        QCOMPARE(session.project().training.hbmSizes, std::vector<double>{16.0 * (1ull << 30)});
        QVERIFY(session.isModified());
        session.undoStack()->undo();
        QCOMPARE(session.project().training.hbmSizes.size(), size_t(3));
        QCOMPARE(hbm->text(), QString("[32 GiB, 64 GiB, 80 GiB]"));
        QVERIFY(!session.isModified());
        session.undoStack()->redo();
        QCOMPARE(hbm->text(), QString("[16 GiB]"));
    }

    void invalidInputIsShownAndNotApplied()
    {
        Session session;
        ParameterForm form(&session, "training");
        auto *hbm = qobject_cast<QLineEdit *>(form.editorFor("hbm_sizes"));
        const ProjectSpec before = session.project();
        QTest::keyClicks(hbm, "x"); // typing validates: the field turns invalid at once
        hbm->setText("[32 GiB, 64 GB/s]");
        emit hbm->textEdited(hbm->text());
        QVERIFY(hbm->property("invalid").toBool());
        auto *error = form.findChild<QLabel *>("error.training");
        QVERIFY(error->text().contains("training.hbm_sizes[1]: \"64 GB/s\" is a bandwidth"));
        emit hbm->editingFinished();
        QVERIFY(session.project() == before);
        QCOMPARE(session.undoStack()->count(), 0);
    }

    void choiceAndPreset()
    {
        Session session;
        ParameterForm training(&session, "training");
        auto *optimizer = qobject_cast<QComboBox *>(training.editorFor("optimizer"));
        QVERIFY(optimizer);
        optimizer->setCurrentText("adam");
        emit optimizer->activated(optimizer->currentIndex());
        QCOMPARE(session.project().training.optimizer, Optimizer::Adam);

        AcceleratorPanel panel(&session);
        auto *numTc = panel.findChild<QLineEdit *>("architecture.num_tc");
        QVERIFY(numTc);
        numTc->setText("4");
        emit numTc->editingFinished();
        QCOMPARE(session.project().architecture->config.numTc, 4);
        QCOMPARE(session.project().architecture->preset, std::string("tpuv4"));
        // The summary follows the edit: 4 TCs of 128x128 at 1.05 GHz = 137.6 TFLOP/s.
        auto *summary = panel.findChild<QLabel *>("acceleratorSummary");
        QVERIFY2(summary->text().contains("138 TFLOP/s"), qPrintable(summary->text()));
    }

    void modelsField()
    {
        Session session;
        ProjectPanel panel(&session);
        auto *models = panel.findChild<QLineEdit *>("project.models");
        QVERIFY(models);
        QCOMPARE(models->text(), QString("[gpt2-xl]"));
        models->setText("[gpt2-xl, bert-large]");
        emit models->editingFinished();
        QCOMPARE(session.project().models.size(), size_t(2));
        QCOMPARE(session.check().models.size(), size_t(2));
        models->setText("[gpt2-xxl]");
        emit models->editingFinished();
        QCOMPARE(session.project().models.size(), size_t(2)); // rejected, nothing lost
        QVERIFY(models->toolTip().contains("unknown model"));
    }
};

QTEST_MAIN(TestParameterForm)
#include "test_parameterform.moc"
