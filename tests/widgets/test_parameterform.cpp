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
