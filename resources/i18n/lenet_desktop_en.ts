<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>CorrectionBar</name>
    <message numerus="yes">
        <source>Saved %1 as %2 corrections, one per digit; the model said %3. %n corrections in all.</source>
        <translation>
            <numerusform>Saved %1 as %2 corrections, one per digit; the model said %3. %n correction in all.</numerusform>
            <numerusform>Saved %1 as %2 corrections, one per digit; the model said %3. %n corrections in all.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved correction #%1 as %2; the model said %3 (%4). %n corrections in all.</source>
        <translation>
            <numerusform>Saved correction #%1 as %2; the model said %3 (%4). %n correction in all.</numerusform>
            <numerusform>Saved correction #%1 as %2; the model said %3 (%4). %n corrections in all.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CorrectionsBrowser</name>
    <message numerus="yes">
        <source>%n corrections in %1</source>
        <translation>
            <numerusform>%n correction in %1</numerusform>
            <numerusform>%n corrections in %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n flagged ⚠: confirm or fix their labels; not trained on until then)</source>
        <translation>
            <numerusform>(%n flagged ⚠: confirm or fix its label; not trained on until then)</numerusform>
            <numerusform>(%n flagged ⚠: confirm or fix their labels; not trained on until then)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Deleted %n corrections: Undo puts them back.</source>
        <translation>
            <numerusform>Deleted %n correction: Undo puts it back.</numerusform>
            <numerusform>Deleted %n corrections: Undo puts them back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Put back %n corrections.</source>
        <translation>
            <numerusform>Put back %n correction.</numerusform>
            <numerusform>Put back %n corrections.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n corrections to %1</source>
        <translation>
            <numerusform>Exported %n correction to %1</numerusform>
            <numerusform>Exported %n corrections to %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n corrections (%1 already there); could not read: %2</source>
        <translation>
            <numerusform>Imported %n correction (%1 already there); could not read: %2</numerusform>
            <numerusform>Imported %n corrections (%1 already there); could not read: %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Imported %n corrections (%1 already there)</source>
        <translation>
            <numerusform>Imported %n correction (%1 already there)</numerusform>
            <numerusform>Imported %n corrections (%1 already there)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EnrolmentDialog</name>
    <message numerus="yes">
        <source>Personalising the active model on your %n drawing(s)…</source>
        <translation>
            <numerusform>Personalising the active model on your %n drawing…</numerusform>
            <numerusform>Personalising the active model on your %n drawings…</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EvaluationWindow</name>
    <message numerus="yes">
        <source>%n images could not be used:</source>
        <translation>
            <numerusform>%n image could not be used:</numerusform>
            <numerusform>%n images could not be used:</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InspectorPanel</name>
    <message numerus="yes">
        <source>%n tensors, %1 numbers in all</source>
        <translation>
            <numerusform>%n tensor, %1 numbers in all</numerusform>
            <numerusform>%n tensors, %1 numbers in all</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>loss = &lt;b&gt;%1&lt;/b&gt;; autograd recorded %n nodes for backward.</source>
        <translation>
            <numerusform>loss = &lt;b&gt;%1&lt;/b&gt;; autograd recorded %n node for backward.</numerusform>
            <numerusform>loss = &lt;b&gt;%1&lt;/b&gt;; autograd recorded %n nodes for backward.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n gradients filled; &lt;code&gt;%1.grad&lt;/code&gt; = %2</source>
        <translation>
            <numerusform>%n gradient filled; &lt;code&gt;%1.grad&lt;/code&gt; = %2</numerusform>
            <numerusform>%n gradients filled; &lt;code&gt;%1.grad&lt;/code&gt; = %2</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Scratch copy of &lt;b&gt;%1&lt;/b&gt; · %n updates taken</source>
        <translation>
            <numerusform>Scratch copy of &lt;b&gt;%1&lt;/b&gt; · %n update taken</numerusform>
            <numerusform>Scratch copy of &lt;b&gt;%1&lt;/b&gt; · %n updates taken</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n nodes</source>
        <translation>
            <numerusform>%n node</numerusform>
            <numerusform>%n nodes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n edges</source>
        <translation>
            <numerusform>%n edge</numerusform>
            <numerusform>%n edges</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MisreadGallery</name>
    <message numerus="yes">
        <source>%1 · %n images · double-click one to open it on the canvas</source>
        <translation>
            <numerusform>%1 · %n image · double-click it to open it on the canvas</numerusform>
            <numerusform>%1 · %n images · double-click one to open it on the canvas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingOptions</name>
    <message numerus="yes">
        <source>The personalisation recipe chooses the rest: %1 at a learning rate of %2, up to %n epochs in batches of %3, augmented, starting from the active model; it keeps the step at which no MNIST digit has fallen past its limit.</source>
        <translation>
            <numerusform>The personalisation recipe chooses the rest: %1 at a learning rate of %2, up to %n epoch in batches of %3, augmented, starting from the active model; it keeps the step at which no MNIST digit has fallen past its limit.</numerusform>
            <numerusform>The personalisation recipe chooses the rest: %1 at a learning rate of %2, up to %n epochs in batches of %3, augmented, starting from the active model; it keeps the step at which no MNIST digit has fallen past its limit.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message numerus="yes">
        <source>trained %n epochs</source>
        <translation>
            <numerusform>trained %n epoch</numerusform>
            <numerusform>trained %n epochs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n flagged correction(s) not trained on: confirm or fix them in the Corrections tab.</source>
        <translation>
            <numerusform>%n flagged correction not trained on: confirm or fix it in the Corrections tab.</numerusform>
            <numerusform>%n flagged corrections not trained on: confirm or fix them in the Corrections tab.</numerusform>
        </translation>
    </message>
</context>
</TS>
