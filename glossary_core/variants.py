"""The site variants built from the one glossary, and the interface text of each."""

from __future__ import annotations

from dataclasses import dataclass
from .derive import to_traditional


@dataclass(frozen=True)
class Variant:
    code: str          # BCP 47 tag, also the html lang
    prefix: str        # where the variant lives in the site: '' (root), 'en/', 'zh-Hant/'
    ui: str            # 'zh' or 'en': which interface text
    name: str          # the variant's name in its own language, for the switcher
    search_lang: str   # Material search plugin language

    def chinese(self, text: str) -> str:
        """Chinese text as this variant shows it (Traditional in zh-Hant)."""
        return to_traditional(text) if self.code == "zh-Hant" else text

    def label(self, key: str) -> str:
        text = LABELS[key]["en" if self.ui == "en" else "zh"]
        return self.chinese(text)


VARIANTS = {
    "zh-Hans": Variant("zh-Hans", "", "zh", "简体中文", "zh"),
    "en": Variant("en", "en/", "en", "English", "en"),
    "zh-Hant": Variant("zh-Hant", "zh-Hant/", "zh", "繁體中文", "zh"),
}

SITE_NAME = {
    "zh": "中国政策术语双语词表·遂宁市安居区",
    "en": "Chinese Policy Glossary: Anju District, Suining",
}

LABELS: dict[str, dict[str, str]] = {
    "home": {"zh": "首页", "en": "Home"},
    "browse": {"zh": "浏览", "en": "Browse"},
    "by_pinyin": {"zh": "按拼音排序", "en": "By pinyin (A–Z)"},
    "by_english": {"zh": "按英文排序", "en": "By English (A–Z)"},
    "by_category": {"zh": "按类别", "en": "By category"},
    "by_source": {"zh": "按出处文件", "en": "By source document"},
    "numbered": {"zh": "数字化口号", "en": "Numbered slogans"},
    "about": {"zh": "关于本词表", "en": "About"},
    "fact": {"zh": "项目", "en": "Field"},
    "value": {"zh": "内容", "en": "Value"},
    "embed": {"zh": "在文章中链接词条", "en": "Link terms from your pages"},
    "headword": {"zh": "词条", "en": "Term"},
    "simplified": {"zh": "简体", "en": "Simplified"},
    "traditional": {"zh": "繁体", "en": "Traditional"},
    "pinyin": {"zh": "拼音", "en": "Pinyin"},
    "aliases": {"zh": "又作", "en": "Also written"},
    "english": {"zh": "英文译名", "en": "English renderings"},
    "rendering": {"zh": "译名", "en": "Rendering"},
    "status": {"zh": "性质", "en": "Status"},
    "used_in": {"zh": "用例出处", "en": "Used in"},
    "status_official": {"zh": "官方译法", "en": "official"},
    "status_common": {"zh": "通行译法", "en": "common"},
    "status_glossary": {"zh": "本词表译法", "en": "this glossary's"},
    "preferred": {"zh": "首选", "en": "preferred"},
    "definition_zh": {"zh": "中文释义", "en": "Chinese definition"},
    "definition_en": {"zh": "英文释义", "en": "English definition"},
    "verbatim_from": {"zh": "释义原文引自", "en": "Verbatim from"},
    "components": {"zh": "构成", "en": "Components"},
    "number": {"zh": "序号", "en": "No."},
    "chinese": {"zh": "中文", "en": "Chinese"},
    "entry": {"zh": "词条", "en": "Entry"},
    "counts": {"zh": "数字结构", "en": "Number structure"},
    "facts": {"zh": "基本信息", "en": "Facts"},
    "category": {"zh": "类别", "en": "Category"},
    "level": {"zh": "层级", "en": "Level"},
    "place": {"zh": "地域", "en": "Place"},
    "first_seen": {"zh": "首见", "en": "First seen"},
    "level_central": {"zh": "中央", "en": "central"},
    "level_provincial": {"zh": "省级", "en": "provincial"},
    "level_municipal": {"zh": "市级", "en": "municipal"},
    "level_district": {"zh": "区县级", "en": "district"},
    "sources": {"zh": "出处", "en": "Sources"},
    "note": {"zh": "注", "en": "note"},
    "relations": {"zh": "关联词条", "en": "Related entries"},
    "rel_related": {"zh": "相关", "en": "Related"},
    "rel_part-of": {"zh": "属于", "en": "Part of"},
    "rel_has-part": {"zh": "包含", "en": "Has part"},
    "rel_supersedes": {"zh": "取代", "en": "Supersedes"},
    "rel_superseded-by": {"zh": "后被取代为", "en": "Superseded by"},
    "rel_see-also": {"zh": "参见", "en": "See also"},
    "referenced_by": {"zh": "被以下词条提及", "en": "Mentioned in"},
    "disambiguation": {"zh": "辨析", "en": "Disambiguation"},
    "notes": {"zh": "编者注", "en": "Editor's notes"},
    "cite": {"zh": "引用本条", "en": "Cite this entry"},
    "permalink": {"zh": "永久链接", "en": "Permalink"},   # also the title of the headings' ¶ links
    "no_terms": {"zh": "（无）", "en": "(none)"},
    "terms_count": {"zh": "词条数", "en": "Terms"},
    "pages": {"zh": "分页", "en": "pages"},
    "other_letters": {"zh": "数字及其他", "en": "Numbers and others"},
    "document": {"zh": "文件", "en": "Document"},
    "issuer": {"zh": "发布机构", "en": "Issued by"},
    "date": {"zh": "日期", "en": "Date"},
    "defined_terms": {"zh": "名词解释所释词条", "en": "Terms defined in its notes"},
    "used_terms": {"zh": "文中使用的词条", "en": "Terms used in its text"},
    "file": {"zh": "文件名", "en": "File"},
    "examples": {"zh": "示例词条", "en": "Examples"},
    "search": {"zh": "搜索", "en": "Search"},
    "search_label": {"zh": "查词：", "en": "Look up a term:"},
}
