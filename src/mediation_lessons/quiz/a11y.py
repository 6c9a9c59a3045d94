"""The quiz's one front-end piece: keyboard and screen-reader fixes ipywidgets cannot make.

An :class:`A11y` widget (anywidget, its ES module inline below: nothing is fetched) sits
invisible inside the quiz and works on the quiz root around it:

- keys pressed inside the quiz stay there: JupyterLab and Notebook 7 handle keydown on
  the document (ArrowDown/ArrowUp move between cells, A/B/M/Enter act on cells) when the
  focus is on a control they do not take for text input, such as a radio button;
- each question's radio buttons are one named group (arrow keys move within it) labelled
  by the prompt;
- after *Check* the focus goes to the verdict, a polite live region, so it is read out;
- ``lang`` on the root (the quiz's language) and on every text in the other language;
- ``aria-pressed`` on the language buttons.

The texts it labels things with come from the kernel through the widgets themselves; it
writes no bank text into the page.
"""

from __future__ import annotations

import anywidget
import traitlets

ESM = r"""
const CJK = /[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]/;
const LATIN = /[A-Za-z]/;
// Tab and Escape leave the quiz as usual; shortcuts with Ctrl, Alt or Meta (save, ...) still work
const PASS = new Set(["Tab", "Escape"]);
let groups = 0;

function textLang(text) {
  if (CJK.test(text)) return "zh";
  return LATIN.test(text) ? "en" : null;
}

function tag(root) {
  root.lang = root.dataset.mlLang || "en";
  root.querySelectorAll(".ml-feedback").forEach(fb => {
    fb.setAttribute("role", "status");
    fb.setAttribute("aria-live", "polite");
    fb.setAttribute("tabindex", "-1");
  });
  root.querySelectorAll(".ml-question").forEach(card => {
    const prompt = card.querySelector(".ml-prompt");
    if (prompt && !prompt.id) prompt.id = "ml-prompt-" + (++groups);
    card.querySelectorAll(".widget-radio-box").forEach(box => {
      if (!box.dataset.mlGroup) box.dataset.mlGroup = "ml-group-" + (++groups);
      box.setAttribute("role", "radiogroup");
      if (prompt) box.setAttribute("aria-labelledby", prompt.id);
      box.querySelectorAll("input[type=radio]").forEach(r => { r.name = box.dataset.mlGroup; });
    });
  });
  root.querySelectorAll(".ml-lang").forEach(group => {
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", "Language · 语言");
    group.querySelectorAll("button").forEach(b => b.setAttribute("aria-pressed", String(b.classList.contains("mod-active"))));
  });
  // a control's text in the other language than the quiz's carries its own lang (the
  // HTML the kernel writes marks its own: prompts, passages, glosses)
  root.querySelectorAll("label, option, button").forEach(node => {
    const lang = textLang(node.textContent);
    if (lang && lang !== root.lang) node.lang = lang; else node.removeAttribute("lang");
  });
}

function attach(root, model) {
  if (root.dataset.mlA11y) return;
  root.dataset.mlA11y = "1";
  root.dataset.mlLang = model.get("lang");
  root.addEventListener("keydown", event => {
    if (PASS.has(event.key) || event.ctrlKey || event.metaKey || event.altKey) return;
    event.stopPropagation();  // the browser's own handling (arrow keys in a radio group, ...) still runs
  });
  let pending = null;  // the card whose Check was pressed
  root.addEventListener("click", event => {
    const button = event.target.closest(".ml-check");
    if (button) pending = button.closest(".ml-question");
  }, true);
  let scheduled = false;
  const observer = new MutationObserver(records => {
    if (pending && records.some(r => pending.contains(r.target) && r.target.closest(".ml-feedback"))) {
      const feedback = pending.querySelector(".ml-feedback");
      pending = null;
      if (feedback && feedback.textContent.trim()) feedback.focus();
    }
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => { scheduled = false; tag(root); });
  });
  observer.observe(root, {childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ["class"]});
  tag(root);
}

function render({ model, el }) {
  el.style.display = "none";
  let tries = 0;
  const find = () => {
    const root = el.closest(".ml-quiz");
    if (root) {
      attach(root, model);
      return;
    }
    if (++tries < 600) requestAnimationFrame(find);  // the view is put in the page after render
  };
  find();
  model.on("change:lang", () => {
    const root = el.closest(".ml-quiz");
    if (root) { root.dataset.mlLang = model.get("lang"); tag(root); }
  });
}

export default { render };
"""


class A11y(anywidget.AnyWidget):
    """Invisible; give it the quiz's language (``lang``) and put it inside the quiz root."""

    _esm = ESM
    lang = traitlets.Unicode("en").tag(sync=True)


__all__ = ["A11y", "ESM"]
