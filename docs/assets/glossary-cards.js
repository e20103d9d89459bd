/*! glossary-cards.js: links the Chinese Policy Glossary's terms in any web page to their entries and
 * shows a card for each on hover and focus. No dependencies.
 *
 *   <script src="https://<glossary site>/assets/glossary-cards.js" defer></script>
 *
 * Options, as attributes of that script tag:
 *   data-lang   zh-Hans | zh-Hant | en     card and entry language (default: from <html lang>)
 *   data-src    URL of the glossary data   (default: ../data/cards.json from the script)
 *   data-root   CSS selector               where to link terms (default: the whole body)
 *   data-every  "true"                     link every mention (default: the first of each term)
 *
 * Everything taken from the data is put into the page with textContent, never as HTML.
 */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !window.fetch) return;
  const opt = script.dataset;
  const NAME = "glossary-cards";
  const LINK = "a.glossary-term[data-glossary-id]";
  const SKIP = "a,code,pre,kbd,samp,script,style,textarea,input,select,button,option,svg,math,noscript," +
    "template,iframe,object,[contenteditable],[data-glossary-skip],.glossary-card";
  const DONE = "data-glossary-cards";  // marks a root already processed
  const MORE = { "zh-Hans": "查看词条 →", "zh-Hant": "查看詞條 →", en: "Open the entry →" };
  const WORD = /[A-Za-z0-9]/;
  const JOINED = /[A-Za-z0-9_+]/;  // '+' joins the numbers of a slogan: 3+2… is not inside 10+3+2…

  // zh-Hant for Traditional tags (zh-Hant, zh-TW, zh-HK, zh-MO), zh-Hans for other Chinese, else en
  const langOf = (tag) => {
    tag = (tag || "").trim().toLowerCase();
    if (!tag) return "";
    if (!/^zh(-|$)/.test(tag)) return "en";
    return /^zh-(hant|tw|hk|mo)(-|$)/.test(tag) ? "zh-Hant" : "zh-Hans";
  };
  const lang = langOf(opt.lang) || langOf(document.documentElement.lang) || langOf(navigator.language) || "en";
  const every = opt.every === "true";
  let src;
  try {
    src = opt.src ? new URL(opt.src, document.baseURI).href : new URL("../data/cards.json", script.src).href;
  } catch (error) {
    console.warn(`${NAME}: no address for the glossary data (set data-src)`);
    return;
  }

  const ready = new Promise((resolve) => {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", resolve, { once: true });
    else resolve();
  });
  const data = fetch(src, { credentials: "omit" })
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    })
    .then((json) => {
      if (!json || !Array.isArray(json.terms)) throw new Error("not glossary card data");
      return json;
    });
  Promise.all([data, ready]).then(([json]) => run(json.terms, json.blocked),
    (error) => console.warn(`${NAME}: glossary data not loaded from ${src} (${(error && error.message) || error})`));

  function run(list, blocked) {
    let roots;
    try {
      roots = opt.root ? Array.from(document.querySelectorAll(opt.root)) : [document.body];
    } catch (error) {
      console.warn(`${NAME}: data-root is not a valid CSS selector: ${opt.root}`);
      return;
    }

    // the forms to find, by their first character, longest first
    const byId = new Map();
    const byFirst = new Map();
    for (const term of list) {
      if (!term || typeof term.id !== "string" || !Array.isArray(term.forms) || byId.has(term.id)) continue;
      byId.set(term.id, term);
      for (const form of term.forms) {
        if (typeof form !== "string" || !form) continue;
        if (!byFirst.has(form[0])) byFirst.set(form[0], []);
        byFirst.get(form[0]).push([form, term]);
      }
    }
    // forms several entries share: they link nothing, and no shorter form inside them either
    for (const form of Array.isArray(blocked) ? blocked : []) {
      if (typeof form !== "string" || !form) continue;
      if (!byFirst.has(form[0])) byFirst.set(form[0], []);
      byFirst.get(form[0]).push([form, null]);
    }
    for (const forms of byFirst.values()) forms.sort((a, b) => b[0].length - a[0].length);

    const hrefs = new Map();
    const href = (term) => {
      if (!hrefs.has(term)) {
        let url = "";
        try {
          const target = new URL(String((term.url && term.url[lang]) || ""), src);
          if (term.url && term.url[lang] && /^https?:$/.test(target.protocol)) url = target.href;
        } catch (error) { /* no link for a term without a usable address */ }
        hrefs.set(term, url);
      }
      return hrefs.get(term);
    };

    // a form written in a longer expression the entry excludes (两新 in 两新组织) is not the term
    const excluded = (text, at, form, contexts) => {
      for (const context of contexts || []) {
        for (let k = context.indexOf(form); k >= 0; k = context.indexOf(form, k + 1)) {
          if (k <= at && text.startsWith(context, at - k)) return true;
        }
      }
      return false;
    };
    const match = (text, at) => {
      const forms = byFirst.get(text[at]);
      if (!forms) return null;
      for (const hit of forms) {
        const form = hit[0];
        const end = at + form.length;
        if (!text.startsWith(form, at)) continue;
        // Latin letters and digits at either end must not continue a longer word or number
        if (WORD.test(form[0]) && at > 0 && JOINED.test(text[at - 1])) continue;
        if (WORD.test(form[form.length - 1]) && JOINED.test(text[end] || "")) continue;
        if (hit[1] && excluded(text, at, form, hit[1].exclude)) continue;
        return hit;
      }
      return null;
    };

    // collect the text nodes first: the page changes as links are made
    const nodes = [];
    const active = [];
    for (const root of roots) {
      if (!root || root.hasAttribute(DONE) || root.closest(SKIP)) continue;
      root.setAttribute(DONE, "");
      active.push(root);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => node.nodeType === 1
          ? (node.matches(SKIP) || node.hasAttribute(DONE) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP)
          : NodeFilter.FILTER_ACCEPT,
      });
      for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    }

    // a term the page links to already (to its entry in any language) counts as linked
    const entries = new Map();
    for (const term of byId.values()) {
      for (const url of term.url && typeof term.url === "object" ? Object.values(term.url) : []) {
        try { entries.set(new URL(String(url), src).href, term); } catch (error) { /* not a URL */ }
      }
    }
    const linked = new Set();
    for (const root of active) {
      for (const a of root.querySelectorAll("a[href]")) if (entries.has(a.href)) linked.add(entries.get(a.href));
    }

    let cardId = NAME;
    for (let n = 2; document.getElementById(cardId); n++) cardId = `${NAME}-${n}`;
    const mine = new WeakSet();
    let made = 0;
    for (const node of nodes) {
      const text = node.data;
      let fragment = null;
      let done = 0;
      for (let at = 0; at < text.length;) {
        const hit = match(text, at);
        if (!hit) {
          at++;
          continue;
        }
        const [form, term] = hit;
        const end = at + form.length;
        if (term && (every || !linked.has(term)) && href(term)) {
          linked.add(term);
          fragment = fragment || document.createDocumentFragment();
          if (at > done) fragment.append(text.slice(done, at));
          const link = document.createElement("a");
          link.className = "glossary-term";
          link.href = href(term);
          link.setAttribute("data-glossary-id", term.id);
          link.setAttribute("aria-describedby", cardId);
          link.textContent = text.slice(at, end);
          mine.add(link);
          made++;
          fragment.append(link);
          done = end;
        }
        at = end;  // a later mention is passed over whole: no shorter term is linked inside it
      }
      if (fragment) {
        if (done < text.length) fragment.append(text.slice(done));
        node.replaceWith(fragment);
      }
    }
    if (made) setUpCard(cardId, byId, href, mine);
  }

  function setUpCard(cardId, byId, href, mine) {
    if (!document.getElementById(`${NAME}-style`)) {
      const style = document.createElement("style");
      style.id = `${NAME}-style`;
      style.textContent = CSS;
      document.head.append(style);
    }
    const make = (tag, part, parent) => {
      const element = document.createElement(tag);
      element.className = `glossary-card__${part}`;
      parent.append(element);
      return element;
    };
    const card = document.createElement("div");
    card.className = "glossary-card";
    card.id = cardId;
    card.setAttribute("role", "tooltip");
    card.hidden = true;
    const head = make("p", "head", card);
    const headword = make("span", "hw", head);
    const other = make("span", "alt", head);
    const pinyin = make("p", "py", card);
    const english = make("p", "en", card);
    const definition = make("p", "def", card);
    const more = make("a", "more", card);
    more.tabIndex = -1;  // the term link itself leads to the entry; keyboard users need no second stop
    pinyin.lang = "zh-Latn-pinyin";
    english.lang = "en";
    definition.lang = more.lang = lang;
    document.body.append(card);

    let current = null;
    let timer = 0;
    const text = (value) => (typeof value === "string" ? value : "");
    const fill = (link, term) => {
      const traditional = lang === "zh-Hant";
      headword.textContent = text(traditional ? term.traditional : term.headword);
      headword.lang = traditional ? "zh-Hant" : "zh-Hans";
      const alt = text(traditional ? term.headword : term.traditional);
      other.textContent = alt && alt !== headword.textContent ? alt : "";
      other.lang = traditional ? "zh-Hans" : "zh-Hant";
      pinyin.textContent = text(term.pinyin);
      english.textContent = text(term.english);
      definition.textContent = text(term.definition && term.definition[lang]);
      definition.hidden = !definition.textContent;
      more.href = link.href;
      more.textContent = MORE[lang];
    };
    const place = (link) => {
      const box = link.getClientRects()[0] || link.getBoundingClientRect();
      const width = document.documentElement.clientWidth;
      const height = window.innerHeight;
      const gap = 6;
      const margin = 8;
      const left = Math.max(margin, Math.min(box.left, width - card.offsetWidth - margin));
      let top = box.bottom + gap;
      if (top + card.offsetHeight > height - margin && box.top - gap - card.offsetHeight >= margin) {
        top = box.top - gap - card.offsetHeight;
      }
      card.style.left = `${Math.round(left)}px`;
      card.style.top = `${Math.round(top)}px`;
    };
    const show = (link) => {
      clearTimeout(timer);
      const term = byId.get(link.getAttribute("data-glossary-id"));
      if (!term) return;
      if (current !== link) fill(link, term);
      current = link;
      card.hidden = false;
      place(link);
    };
    const hide = () => {
      clearTimeout(timer);
      card.hidden = true;
      current = null;
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(hide, 250);  // time to move the pointer from the link onto the card
    };
    const ours = (target) => {
      const link = target instanceof Element ? target.closest(LINK) : null;
      return link && mine.has(link) ? link : null;
    };

    document.addEventListener("mouseover", (event) => {
      const link = ours(event.target);
      if (link) show(link);
      else if (card.contains(event.target)) clearTimeout(timer);
    });
    document.addEventListener("mouseout", (event) => {
      const from = ours(event.target) || (card.contains(event.target) ? card : null);
      const to = event.relatedTarget;
      if (!from || (to instanceof Node && (from.contains(to) || card.contains(to) ||
          (current && current.contains(to))))) return;
      later();
    });
    document.addEventListener("focusin", (event) => {
      const link = ours(event.target);
      if (link) show(link);
    });
    document.addEventListener("focusout", (event) => {
      if (ours(event.target) && !(event.relatedTarget instanceof Node && card.contains(event.relatedTarget))) hide();
    });
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !card.hidden) hide();
    });
    const follow = () => {
      if (current && !card.hidden) place(current);
    };
    window.addEventListener("scroll", follow, { passive: true, capture: true });
    window.addEventListener("resize", follow, { passive: true });
  }

  const CSS = `
a.glossary-term{color:inherit;text-decoration:underline dotted;text-decoration-thickness:1px;text-underline-offset:.2em}
a.glossary-term:hover,a.glossary-term:focus{text-decoration-style:solid}
.glossary-card{position:fixed;z-index:2147483000;top:0;left:0;box-sizing:border-box;width:max-content;
max-width:min(22em,calc(100vw - 16px));margin:0;padding:10px 14px;border:1px solid #d0d7de;border-radius:8px;
background:#fff;color:#1f2328;box-shadow:0 6px 20px rgba(0,0,0,.18);text-align:left;white-space:normal;
font:14px/1.55 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif}
.glossary-card[hidden],.glossary-card [hidden]{display:none}
.glossary-card *{box-sizing:border-box;margin:0;padding:0;border:0;background:none;color:inherit;font:inherit;
letter-spacing:normal;text-transform:none;text-decoration:none}
.glossary-card .glossary-card__hw{font-size:20px;font-weight:600}
.glossary-card .glossary-card__alt{margin-left:.6em;color:#59636e}
.glossary-card .glossary-card__py{color:#59636e}
.glossary-card .glossary-card__en{font-style:italic}
.glossary-card .glossary-card__def{margin-top:6px}
.glossary-card .glossary-card__more{display:inline-block;margin-top:6px;color:#0a58ca;text-decoration:underline}
@media (prefers-color-scheme:dark){.glossary-card{background:#22272e;color:#e6edf3;border-color:#444c56;
box-shadow:0 6px 20px rgba(0,0,0,.5)}.glossary-card .glossary-card__alt,.glossary-card .glossary-card__py{color:#9ea7b3}
.glossary-card .glossary-card__more{color:#6cb6ff}}`;
})();
