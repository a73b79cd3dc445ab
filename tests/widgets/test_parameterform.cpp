// Registry-generated editors: validation as you type, edits through the undo stack.

#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QScrollArea>

#include "core/base/units.h"
#include "core/spec/clusterspec.h"
#include "widgets/acceleratorpanel.h"
#include "widgets/parameterform.h"
#include "widgets/projectpanel.h"
#include "widgets/session.h"

using namespace phaze;
using namespace Qt::StringLiterals;

class TestParameterForm : public QObject
{
    Q_OBJECT

private slots:
    void editUndoRedo()
    {
        Session session;
        ParameterForm form(&session, u"training"_s);
        auto *hbm = qobject_cast<QLineEdit *>(form.editorFor(u"hbm_sizes"_s));
        QVERIFY(hbm);
        QCOMPARE(hbm->text(), u"[80 GiB]"_s);
        QVERIFY(hbm->toolTip().contains(u"HBM capacities"_s));
        hbm->setText(u"[16 GiB]"_s);
        emit hbm->editingFinished();
        QCOMPARE(session.project().training.hbmSizes, std::vector<double>{16.0 * (1ull << 30)});
        QVERIFY(session.isModified());
        session.undoStack()->undo();
        QCOMPARE(session.project().training.hbmSizes.size(), size_t(1));
        QCOMPARE(hbm->text(), u"[80 GiB]"_s);
        QVERIFY(!session.isModified());
        session.undoStack()->redo();
        QCOMPARE(hbm->text(), u"[16 GiB]"_s);
    }

    void typingAppliesAfterAPauseAsOneStep()
    {
        Session session;
        ParameterForm form(&session, u"training"_s);
        auto *batch = qobject_cast<QLineEdit *>(form.editorFor(u"global_batch"_s));
        QVERIFY(batch);
        const long long before = session.project().training.globalBatch;
        form.show();
        batch->setFocus();
        batch->selectAll();
        QTest::keyClicks(batch, u"25"_s);
        // Nothing is applied while the user types...
        QCOMPARE(session.project().training.globalBatch, before);
        // ...and the text is applied once they pause, without Enter.
        QTRY_COMPARE_WITH_TIMEOUT(session.project().training.globalBatch, 25LL, 5000);
        QTest::keyClicks(batch, u"6"_s);
        QTRY_COMPARE_WITH_TIMEOUT(session.project().training.globalBatch, 256LL, 5000);
        QCOMPARE(batch->text(), u"256"_s); // what was typed stays, cursor and all
        // One bout of typing is one undo step; Enter ends it, and the next edit is another.
        QCOMPARE(session.undoStack()->count(), 1);
        QTest::keyClick(batch, Qt::Key_Return);
        batch->selectAll();
        QTest::keyClicks(batch, u"512"_s);
        QTest::keyClick(batch, Qt::Key_Return);
        QCOMPARE(session.project().training.globalBatch, 512LL);
        QCOMPARE(session.undoStack()->count(), 2);
        session.undoStack()->undo();
        QCOMPARE(session.project().training.globalBatch, 256LL);
        session.undoStack()->undo();
        QCOMPARE(session.project().training.globalBatch, before);
    }

    void ctrlZRightAfterTypingUndoesTheProject()
    {
        // As in the main window: the undo and redo actions on the window's shortcuts.
        Session session;
        QWidget window;
        auto *form = new ParameterForm(&session, u"training"_s, &window);
        QAction *undo = session.undoStack()->createUndoAction(&window);
        undo->setShortcut(QKeySequence::Undo);
        QAction *redo = session.undoStack()->createRedoAction(&window);
        redo->setShortcut(QKeySequence::Redo);
        window.addAction(undo);
        window.addAction(redo);
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *batch = qobject_cast<QLineEdit *>(form->editorFor(u"global_batch"_s));
        const long long before = session.project().training.globalBatch;
        batch->setFocus();
        batch->selectAll();
        QTest::keyClicks(batch, u"64"_s);
        // Ctrl+Z at once, before the pause: what was typed is applied as one step and undone;
        // the field shows the project's value again and keeps the focus.
        QTest::keySequence(batch, QKeySequence::Undo);
        QCOMPARE(session.project().training.globalBatch, before);
        QCOMPARE(batch->text(), QString::number(before));
        QVERIFY(batch->hasFocus());
        QTest::keySequence(batch, QKeySequence::Redo);
        QCOMPARE(session.project().training.globalBatch, 64LL);
        QCOMPARE(batch->text(), u"64"_s);
        QCOMPARE(session.undoStack()->count(), 1);
    }

    // The form offers only the keys the project's profile reads: the bundled project (system
    // profile) has no link_bandwidth row but a precision row; under PHAZE's it is the reverse.
    void rowsFollowTheProfile()
    {
        Session session;
        ParameterForm form(&session, u"training"_s);
        form.show();
        QVERIFY(!form.editorFor(u"link_bandwidth"_s)->isVisible());
        QVERIFY(!form.editorFor(u"recomputation"_s)->isVisible());
        QVERIFY(form.editorFor(u"precision"_s)->isVisible());
        QCOMPARE(session.setField(u"training"_s, u"profile"_s, u"phaze"_s), QString());
        QVERIFY(form.editorFor(u"link_bandwidth"_s)->isVisible());
        QVERIFY(!form.editorFor(u"precision"_s)->isVisible());
        QVERIFY(form.editorFor(u"hbm_sizes"_s)->isVisible()); // read by both
    }

    void invalidInputIsShownAndNotApplied()
    {
        Session session;
        ParameterForm form(&session, u"training"_s);
        auto *hbm = qobject_cast<QLineEdit *>(form.editorFor(u"hbm_sizes"_s));
        const ProjectSpec before = session.project();
        QTest::keyClicks(hbm, u"x"_s); // typing validates: the field turns invalid at once
        hbm->setText(u"[32 GiB, 64 GB/s]"_s);
        emit hbm->textEdited(hbm->text());
        QVERIFY(hbm->property("invalid").toBool());
        auto *error = form.findChild<QLabel *>(u"error.training"_s);
        QVERIFY(error->text().contains(u"training.hbm_sizes[1]: \"64 GB/s\" is a bandwidth"_s));
        emit hbm->editingFinished();
        QVERIFY(session.project() == before);
        QCOMPARE(session.undoStack()->count(), 0);
    }

    void choiceAndPreset()
    {
        Session session;
        ParameterForm training(&session, u"training"_s);
        auto *optimizer = qobject_cast<QComboBox *>(training.editorFor(u"optimizer"_s));
        QVERIFY(optimizer);
        optimizer->setCurrentText(u"adam"_s);
        emit optimizer->activated(optimizer->currentIndex());
        QCOMPARE(session.project().training.optimizer, Optimizer::Adam);

        AcceleratorPanel panel(&session);
        auto *numTc = panel.findChild<QLineEdit *>(u"architecture.num_tc"_s);
        QVERIFY(numTc);
        numTc->setText(u"4"_s);
        emit numTc->editingFinished();
        QCOMPARE(session.project().architecture->config.numTc, 4);
        QCOMPARE(session.project().architecture->preset, std::string("a100-sxm4-80gb"));
        // The summary follows the edit: 4 TCs of 16x16 at 1.41 GHz = 2.888 TFLOP/s.
        auto *summary = panel.findChild<QLabel *>(u"acceleratorSummary"_s);
        QVERIFY2(summary->text().contains(u"2.89 TFLOP/s"_s), qPrintable(summary->text()));
    }

    void clusterAndStrategyEditInTheProjectDock()
    {
        // The default project is a system-profile one on dgx-a100: the Project dock offers its
        // cluster (with its preset) and its strategy, edited through the undo stack.
        Session session;
        ProjectPanel panel(&session);
        auto *clusterBox = panel.findChild<QWidget *>(u"group.cluster"_s);
        auto *strategyBox = panel.findChild<QWidget *>(u"group.strategy"_s);
        auto *note = panel.findChild<QWidget *>(u"systemNote"_s);
        QVERIFY(clusterBox && strategyBox && note);
        QVERIFY(!clusterBox->isHidden() && !strategyBox->isHidden() && note->isHidden());
        auto *preset = panel.findChild<QComboBox *>(u"cluster.preset"_s);
        auto *inter = panel.findChild<QLineEdit *>(u"cluster.inter_node_bandwidth"_s);
        QVERIFY(preset && inter);
        QCOMPARE(preset->currentText(), u"dgx-a100"_s);
        QCOMPARE(inter->text(), u"25 GB/s"_s);
        QVERIFY(inter->toolTip().contains(u"Unit:"_s));

        // An edited field overrides the preset, which stays named.
        inter->setText(u"50 GB/s"_s);
        emit inter->editingFinished();
        QCOMPARE(session.project().cluster.interNode.bandwidth, 50e9);
        QCOMPARE(session.project().cluster.preset, std::string("dgx-a100"));
        session.undoStack()->undo();
        QCOMPARE(session.project().cluster.interNode.bandwidth, 25e9);
        QCOMPARE(inter->text(), u"25 GB/s"_s);
        session.undoStack()->redo();

        // Choosing a preset starts the cluster from it: the override goes.
        preset->setCurrentIndex(preset->findData(u"dgx-h100"_s));
        emit preset->activated(preset->currentIndex());
        ClusterSpec h100 = findClusterPreset("dgx-h100")->cluster;
        h100.preset = "dgx-h100";
        QVERIFY(session.project().cluster == h100);
        QCOMPARE(inter->text(), QString::fromStdString(formatQuantity(
                                    h100.interNode.bandwidth, Dimension::Bandwidth)));
        // (none) keeps every value, written out in full.
        preset->setCurrentIndex(0);
        emit preset->activated(0);
        QCOMPARE(session.project().cluster.preset, std::string());
        QCOMPARE(session.project().cluster.interNode, h100.interNode);
        QCOMPARE(session.project().cluster.devicesPerNode, h100.devicesPerNode);
        // One undo step per choice.
        session.undoStack()->undo();
        QVERIFY(session.project().cluster == h100);
        session.undoStack()->undo();
        QCOMPARE(session.project().cluster.interNode.bandwidth, 50e9);

        // The strategy: tp fixed to 8, then undone.
        auto *tp = panel.findChild<QLineEdit *>(u"strategy.tp"_s);
        QVERIFY(tp);
        tp->setText(u"[8]"_s);
        emit tp->editingFinished();
        QCOMPARE(session.project().strategy.tensor, std::vector<int>{8});
        tp->setText(u"[3000000]"_s); // out of range: refused, nothing lost
        emit tp->editingFinished();
        QCOMPARE(session.project().strategy.tensor, std::vector<int>{8});
        QVERIFY(tp->property("invalid").toBool());
        session.undoStack()->undo();
        QVERIFY(session.project().strategy.tensor.empty());

        // Under PHAZE's profile there is no cluster or strategy: the dock says so instead.
        QCOMPARE(session.setField(u"training"_s, u"profile"_s, u"phaze"_s), QString());
        QVERIFY(clusterBox->isHidden() && strategyBox->isHidden() && !note->isHidden());
        session.undoStack()->undo();
        QVERIFY(!clusterBox->isHidden() && note->isHidden());
    }

    // In a narrow dock every field stays in sight: a long key goes above its field instead of
    // pushing it past the dock's edge (the system profile's training keys are long).
    void narrowFormsKeepEveryFieldInSight()
    {
        Session session;
        QVERIFY(session.open(QStringLiteral(PHAZE_SOURCE_DIR "/examples/gpt3-175b-selene.yaml")));
        // As the Project dock holds it: in a scroll area 200 px wide.
        QScrollArea dock;
        dock.setWidgetResizable(true);
        auto *form = new ParameterForm(&session, u"training"_s);
        dock.setWidget(form);
        dock.resize(200 + 2 * dock.frameWidth(), 600);
        dock.show();
        QCoreApplication::processEvents();
        QCOMPARE(form->width(), dock.viewport()->width()); // no horizontal scrolling
        const QList<QWidget *> fields =
            form->findChildren<QWidget *>(QRegularExpression(u"^training\\."_s));
        QVERIFY(fields.size() >= 10);
        for (const QWidget *field : fields) {
            const QRect r = field->geometry();
            QVERIFY2(r.left() >= 0 && r.right() < form->width(), qPrintable(field->objectName()));
            QVERIFY2(r.width() >= 16, qPrintable(field->objectName()));
        }
    }

    void modelsField()
    {
        Session session;
        ProjectPanel panel(&session);
        auto *models = panel.findChild<QLineEdit *>(u"project.models"_s);
        QVERIFY(models);
        QCOMPARE(models->text(), u"[llama2-7b]"_s);
        models->setText(u"[llama2-7b, bert-large]"_s);
        emit models->editingFinished();
        QCOMPARE(session.project().models.size(), size_t(2));
        QCOMPARE(session.check().models.size(), size_t(2));
        models->setText(u"[gpt2-xxl]"_s);
        emit models->editingFinished();
        QCOMPARE(session.project().models.size(), size_t(2)); // rejected, nothing lost
        QVERIFY(models->toolTip().contains(u"unknown model"_s));
    }
};

QTEST_MAIN(TestParameterForm)
#include "test_parameterform.moc"
