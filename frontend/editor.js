// The entry of drill/static/vendor/editor.bundle.js (`make editor-bundle`): CodeMirror 6 with its lint
// extension, behind one small global, `window.drillEditor`. The page logic (checking as the author types,
// the problem list, autosave) stays in drill/static/authoring/editor.js, readable without a build.
//
//   const editor = window.drillEditor.mount(textarea, { label, onChange, before });  // `before`: hidden
//                                                  // element the editor takes the place of (default textarea)
//   editor.setProblems([{ line, severity: "error" | "warning", message }]);  // marks and notes at lines
//   editor.jump(line);                                                      // select and show a line
//
// The textarea stays the form field: it is hidden and kept equal to the editor's text, so the form, autosave
// and a page without JavaScript all send the same field.
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { EditorSelection, EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";

// The problems of a line, written out below it (readable on a phone, where nothing hovers): a line
// decoration whose text CSS shows after the line, so no uneditable node sits inside the text.
const setNotes = StateEffect.define();

const notesField = StateField.define({
  create: () => Decoration.none,
  update(notes, transaction) {
    let next = notes.map(transaction.changes);
    for (const effect of transaction.effects) if (effect.is(setNotes)) next = effect.value;
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  "&": { fontSize: ".875rem", maxHeight: "70vh", minHeight: "16rem", backgroundColor: "var(--bs-body-bg)" },
  "&.cm-focused": { outline: "2px solid var(--bs-primary)", outlineOffset: "-1px" },
  ".cm-scroller": { fontFamily: "var(--bs-font-monospace)", lineHeight: "1.5", overflow: "auto" },
  ".cm-content": { padding: ".375rem 0" },
  ".cm-gutters": { backgroundColor: "var(--bs-tertiary-bg)", color: "var(--bs-secondary-color)", border: "0" },
  ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy var(--bs-danger)" },
  ".cm-lintRange-warning": { backgroundImage: "none", textDecoration: "underline wavy var(--bs-warning)" },
  ".cm-line[data-notes]::after": {
    content: "attr(data-notes)",
    display: "block",
    whiteSpace: "pre-wrap",
    padding: "0 0 .25rem 1rem",
    fontFamily: "var(--bs-body-font-family)",
    fontSize: ".8rem",
    color: "var(--bs-warning-text-emphasis)",
  },
  ".cm-line.drill-line-error": { backgroundColor: "var(--bs-danger-bg-subtle)" },
  ".cm-line.drill-line-error::after": { color: "var(--bs-danger-text-emphasis)" },
});

function mount(textarea, options = {}) {
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        lintGutter(),
        notesField,
        keymap.of([...defaultKeymap, ...historyKeymap, ...lintKeymap]),
        EditorView.contentAttributes.of({
          // Focusable already (contenteditable); said out loud so the scrolling box around it counts as
          // reachable by keyboard (axe: scrollable-region-focusable), without adding a tab stop.
          tabindex: "0",
          "aria-label": options.label || "",
          spellcheck: "false",
          autocapitalize: "off",
          autocorrect: "off",
          "data-testid": "editor-content",
        }),
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) return;
          textarea.value = update.state.doc.toString();
          if (options.onChange) options.onChange();
        }),
        theme,
      ],
    }),
  });
  const before = options.before || textarea;
  before.parentNode.insertBefore(view.dom, before);
  before.hidden = true;
  textarea.hidden = true;
  view.dom.classList.add("drill-editor", "border", "rounded");

  function setProblems(problems) {
    const doc = view.state.doc;
    const diagnostics = [];
    const byLine = new Map();
    for (const problem of problems) {
      if (!problem.line || problem.line > doc.lines) continue;
      const line = doc.line(problem.line);
      diagnostics.push({ from: line.from, to: line.to, severity: problem.severity, message: problem.message });
      if (!byLine.has(line.number)) byLine.set(line.number, []);
      byLine.get(line.number).push({ severity: problem.severity, message: problem.message });
    }
    const notes = [...byLine.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([number, list]) =>
        Decoration.line({
          class: list.some((note) => note.severity === "error") ? "drill-line-error" : "drill-line-warning",
          attributes: { "data-notes": list.map((note) => `↑ ${note.message}`).join("\n") },
        }).range(doc.line(number).from),
      );
    view.dispatch(setDiagnostics(view.state, diagnostics));
    view.dispatch({ effects: setNotes.of(Decoration.set(notes)) });
  }

  function jump(number) {
    const doc = view.state.doc;
    const line = doc.line(Math.max(1, Math.min(number, doc.lines)));
    view.dispatch({
      selection: EditorSelection.range(line.from, line.to),
      effects: EditorView.scrollIntoView(line.from, { y: "center" }),
    });
    view.focus();
  }

  return { view, setProblems, jump, value: () => view.state.doc.toString() };
}

window.drillEditor = { mount };
