// Registry-generated editors: validation as you type, edits through the undo stack.

#include <QtTest>

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>

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
