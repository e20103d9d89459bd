// The site's search worker: Material for MkDocs' own worker (loaded below, unchanged) with three
// additions for a glossary of Chinese terms:
//
// 1. The query lunr receives. Material splits Chinese into words it finds in the index but never
//    tries the whole run (以旧换新 becomes 以), does not separate digits from Chinese (10件事), and
//    does not stem English once it adds its wildcards. Here each run of Chinese is split by longest
//    match against the index's words, digits and letters are separate words, and each English word
//    is also searched by its Porter stem (the index holds the stems of its English words too:
//    glossary_core/search.py).
// 2. The order of results: when the query IS a form of a term (its headword, an alias, the
//    traditional form, its pinyin with or without tones and spaces, an English rendering or its
//    number), that term's entry comes first. Those forms are the parts of each search document's
//    title, first paragraph and first key paragraph (documentKeys, as document_keys in
//    glossary_core/search.py), folded by the same rule as normalise_key there.
// 3. The language of the parts of a result in another language than the page's (markLanguages).
//
// Loaded as assets/javascripts/workers/glossary-search.js?material=<Material's worker URL>, set by
// overrides/main.html; it lives beside Material's worker so that worker finds its language files.
"use strict";

const SETUP = 0, QUERY = 2, RESULT = 3;  // Material's SearchMessageType

function normaliseKey(text) {
  return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}+]/gu, "");
}

const SEGMENT = " · ", LIST_SEPARATORS = ["、", "; "];
const KEY_PARTS = /^<p>(.*?)<\/p>|<p class="glossary-search-keys">(.*?)<\/p>/g;

function unescapeHtml(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

function documentKeys(doc) {
  const parts = doc.title.split(SEGMENT);
  const found = [...String(doc.text).matchAll(KEY_PARTS)];
  const paragraphs = found.slice(0, 1).map(m => m[1]).filter(Boolean);
  const keys = found.map(m => m[2]).filter(Boolean);
  if (keys.length) paragraphs.push(keys[0]);
  for (const paragraph of paragraphs)
    for (const part of paragraph.split(SEGMENT)) {
      let items = [part];
      for (const separator of LIST_SEPARATORS) items = items.flatMap(item => item.split(separator));
      parts.push(...items);
    }
  return new Set(parts.map(part => normaliseKey(unescapeHtml(part))).filter(Boolean));
}

let byKey = new Map();      // folded form → locations of the terms it names
let byLocation = new Map(); // location → search document
let lastQuery = "";

// Registered before Material's worker, so this listener sees each message first.
addEventListener("message", event => {
  const message = event.data;
  if (message.type === SETUP) {
    byKey = new Map();
    byLocation = new Map();
    for (const doc of message.data.docs) {
      byLocation.set(doc.location, doc);
      if (!doc.location.startsWith("terms/")) continue;
      for (const key of documentKeys(doc)) {
        if (!byKey.has(key)) byKey.set(key, []);
        byKey.get(key).push(doc.location);
      }
    }
  } else if (message.type === QUERY) {
    lastQuery = message.data;
  }
});

// Longest match against the index's own words; an unmatched rest is searched as a prefix.
function chineseWords(run, invertedIndex) {
  const words = [];
  for (let start = 0; start < run.length;) {
    let end = run.length;
    while (end > start + 1 && !(run.slice(start, end) in invertedIndex)) end--;
    if (end === start + 1 && !(run[start] in invertedIndex)) {
      words.push(run.slice(start));
      break;
    }
    words.push(run.slice(start, end));
    start = end;
  }
  return words;
}

function lunrQuery(query, invertedIndex) {
  const words = new Set();
  for (const [run] of String(query).normalize("NFKC").toLowerCase().matchAll(/\p{sc=Han}+|[\p{L}\p{N}+]+/gu)) {
    if (/\p{sc=Han}/u.test(run)) {
      for (const word of chineseWords(run, invertedIndex)) words.add(word);
    } else {
      const word = run.replace(/^\++|\++$/g, "");
      if (!word) continue;
      words.add(word);
      if (/^[a-z]{3,}$/.test(word)) words.add(self.lunr.stemmer(new self.lunr.Token(word)).toString());
    }
  }
  // lunr's query syntax: escape its operators so that "2+2+1" and "122+n" are plain words
  return [...words].map(word => word.replace(/[:^~*+\-\\]/g, "\\$&") + "*").join(" ");
}

function exactFirst(groups, query) {
  const exact = byKey.get(normaliseKey(query)) || [];
  if (!exact.length) return groups;
  const front = [];
  for (const location of exact) {
    const found = groups.find(group => group[0].location === location);
    if (found) front.push(found);
    else {
      const doc = byLocation.get(location);
      if (doc) front.push([{ ...doc, score: 0, terms: {} }]);
    }
  }
  return [...front, ...groups.filter(group => !exact.includes(group[0].location))];
}

// The language of each part of a term's title and lead, by letter ("-": the page's own), as
// SearchDocument.langs in glossary_core/search.py writes it: parts in another language than the
// page's are shown in a <span lang>, as on the pages (a screen reader reads 六稳 in Chinese).
const LANGS = { s: "zh-Hans", t: "zh-Hant", p: "zh-Latn-pinyin", e: "en" };

function inLanguages(html, plan) {
  const parts = html.split(SEGMENT);
  if (parts.length !== plan.length) return html;  // not the layout the plan describes: leave it as it is
  return parts.map((part, i) => LANGS[plan[i]] ? `<span lang="${LANGS[plan[i]]}">${part}</span>` : part)
    .join(SEGMENT);
}

function markLanguages(doc) {
  const source = byLocation.get(doc.location);
  if (!source || typeof source.langs !== "string") return doc;
  const [titlePlan, leadPlan = ""] = source.langs.split("|");
  return {
    ...doc,
    title: inLanguages(doc.title, titlePlan),
    text: doc.text.replace(/^<p>(.*?)<\/p>/s, (_, lead) => `<p>${inLanguages(lead, leadPlan)}</p>`),
  };
}

const postToPage = self.postMessage.bind(self);
self.postMessage = message => {
  if (message && message.type === RESULT && message.data && Array.isArray(message.data.items))
    message.data.items = exactFirst(message.data.items, lastQuery).map(group => group.map(markLanguages));
  postToPage(message);
};

const material = new URL(new URL(self.location.href).searchParams.get("material") || "", self.location.href);
if (material.origin !== self.location.origin || !/\/search\.[0-9a-f]+\.min\.js$/.test(material.pathname))
  throw new Error("glossary-search: no Material search worker given");
importScripts(material.href);

// Material's worker hands lunr a query it has already rewritten; give lunr ours instead.
const lunrSearch = self.lunr.Index.prototype.search;
self.lunr.Index.prototype.search = function (_materialQuery) {
  return lunrSearch.call(this, lunrQuery(lastQuery, this.invertedIndex));
};
