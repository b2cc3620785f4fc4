"""Generated policy documents for ``bench_search``: the pieces (sentences, titles, 主题词) are
made and segmented here; the database assembles a million documents from them (``LOAD_SQL``).

The words come from texts in the repository (the 2019 Regulation, an annual report, the report
templates) plus topic vocabularies and a long tail of generated place and project names, drawn
with Zipf weights (rank ``r`` has weight ``1/r``), topic words boosted in their topic's documents:
so common words (公开, 工作) are in most documents, topic words in a few percent and the long
tail in a handful, as in a real library. A body is 60–130 sentences drawn at random (30 % from
its topic's pool), 2,000–4,500 characters; sentences end in ，or 。, which jieba never
segments across, so the union of the sentences' words is exactly the words of the body.
"""

from __future__ import annotations

import html
import itertools
import random
import re
from bisect import bisect
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    "tests/data/reference/regulation-2019.md",
    "tests/data/reports/2019_shanghai-bgt_html.html",
    "src/gongkai/core/annual-report-templates.json",
)

# topic code (records.default_topics) -> words of that topic
TOPIC_WORDS: dict[str, list[str]] = {
    "02": ["政务公开", "应急管理", "电子政务", "督查", "信息化", "一网通办", "政务服务", "值班"],
    "03": ["经济运行", "国有资产", "统计调查", "改革", "高质量发展", "营商环境", "投资", "项目建设"],
    "04": ["财政", "预算", "资金", "融资", "金融", "审计", "专项资金", "政府采购", "债务"],
    "05": ["土地", "矿产", "能源", "宅基地", "用地", "光伏", "节能"],
    "06": ["农业", "农村", "粮食", "林业", "水利", "耕地", "乡村振兴", "农民", "种植"],
    "07": ["工业", "交通", "道路", "公交", "运输", "制造业", "园区", "停车"],
    "08": ["商贸", "外贸", "旅游", "消费", "电商", "会展", "口岸"],
    "09": ["市场监管", "安全生产", "食品安全", "药品", "检查", "隐患", "消防", "特种设备"],
    "10": ["住房", "公积金", "城市规划", "环境保护", "垃圾分类", "污水", "大气污染", "物业", "棚户区"],
    "11": ["教育", "义务教育", "招生", "学校", "科技创新", "高新技术", "人才", "学前教育"],
    "12": ["文化", "广播电视", "新闻出版", "文物", "图书馆", "非遗"],
    "13": ["医疗", "卫生", "医院", "医保", "疫苗", "体育", "健身", "药品"],
    "14": ["妇女", "儿童", "托育", "生育", "未成年人"],
    "15": ["就业", "创业", "社会保险", "工资", "失业", "培训", "公务员", "退休"],
    "16": ["公安", "司法", "法律援助", "户籍", "交通违法", "社区矫正"],
    "17": ["养老", "养老服务", "社会救助", "低保", "残疾人", "救灾", "扶贫", "殡葬", "老年人"],
}
TOPICS = list(TOPIC_WORDS)
_GENERAL = (
    "进一步 加强 推进 落实 完善 健全 深化 优化 规范 提升 保障 支持 鼓励 促进 实施 开展 建立 "
    "强化 统筹 协调 监督 考核 评估 服务 管理 工作 机制 体系 制度 政策 措施 方案 意见 通知 "
    "办法 细则 规划 标准 补贴 补助 奖励 申报 审批 备案 登记 许可 办理 窗口 群众 企业 单位 "
    "部门 街道 社区 乡镇 村 居民 中小企业 个体工商户 社会组织 责任 目标 任务 要求 原则 范围 "
    "对象 条件 程序 期限 材料 证明 数据 平台 系统 网络 线上 线下 资金 经费 项目 试点 示范 "
    "重点 难点 问题 风险 防控 宣传 培训 指导 检查 整改 通报 公示 公告 解读 执行 有效期 "
    "自发布之日起 施行 废止 修订 本市 本区 全市 全区 各级 有关 相关 按照 根据 依法 依规"
)
GENERAL = _GENERAL.split()
LEVELS = ["市", "区", "县"]
ISSUER_KINDS = ["政发", "政办发", "发", "规", "办", "函"]
TITLE_KINDS = ["通知", "意见", "办法", "实施细则", "实施方案", "若干措施", "管理规定", "工作方案"]
VALIDITY = [("in_force", 0.80), ("amended", 0.08), ("repealed", 0.08), ("expired", 0.04)]
CATEGORIES = [("rule", 0.05), ("normative", 0.35), ("policy", 0.35), ("other", 0.25)]
FIRST_YEAR, LAST_YEAR = 2019, 2026
_HAN2 = re.compile(r"^[\u4e00-\u9fff]{2,}$")


@cache
def vocabulary() -> tuple[list[str], list[float]]:
    """General words with cumulative Zipf weights (most frequent first)."""
    import collections

    import rjieba

    texts = []
    for rel in SOURCES:
        t = (ROOT / rel).read_text("utf-8")
        texts.append(html.unescape(re.sub(r"<[^>]+>", " ", t)))
    from gongkai.core.search_text import to_simplified

    # simplified words only (the report fixture has a few traditional ones): a real library's
    # text is simplified, and traditional text takes the slower normalisation path
    counts = collections.Counter(
        w for w in rjieba.cut("\n".join(texts)) if _HAN2.match(w) and to_simplified(w) == w
    )
    for w in GENERAL:
        counts[w] += 30
    words = [w for w, _ in counts.most_common()]
    # the long tail: generated names (places, roads, projects), each rare
    rng = random.Random(7)
    chars = "东西南北中新老青白金银石河湖山桥林花园泉港湾城里坊镇溪塘岭坪阳明华安康宁泰兴丰和顺"
    suffix = ["路", "街", "镇", "村", "园区", "小区", "社区", "工程", "项目", "中心"]
    tail = {rng.choice(chars) + rng.choice(chars) + rng.choice(suffix) for _ in range(40_000)}
    words += sorted(tail)
    weights = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(words))))
    return words, weights


N_GENERAL = 40_000  # general sentences
PER_TOPIC = 1_500  # sentences per topic
TITLES_PER_TOPIC = 3_000


def _sentence(rng: random.Random, topic_words: list[str] | None) -> str:
    words, cum = vocabulary()
    total = cum[-1]
    out = []
    for _ in range(rng.randrange(8, 20)):
        if topic_words and rng.random() < 0.4:
            out.append(rng.choice(topic_words))
        else:
            out.append(words[bisect(cum, rng.random() * total)])
    return "".join(out) + ("。" if rng.random() < 0.4 else "，")


def _title(rng: random.Random, tw: list[str], n: int) -> str:
    return (
        f"{LEVELS[n % 3]}{'人民政府办公室' if n % 2 else '人民政府'}关于"
        f"{rng.choice(['进一步', '', '加快', '全面'])}{rng.choice(['加强', '推进', '做好', '规范', '支持'])}"
        f"{rng.choice(tw)}{rng.choice(['', rng.choice(tw)])}{rng.choice(['工作', '发展', '管理', '服务', ''])}"
        f"的{rng.choice(TITLE_KINDS)}"
    )


def pieces() -> dict[str, list[tuple]]:
    """Rows of the helper tables: sentences ``(id, text, words)`` (general ones first, then
    PER_TOPIC per topic in TOPICS order), titles ``(id, text, words)`` (TITLES_PER_TOPIC per
    topic, words including the ``t:`` and ``b:`` title lexemes), 主题词 per topic ``(topic no, text, words)``
    and 发文字号 kinds ``(kind no, text, words)``; topic numbers count from 0."""
    from gongkai.core.search_text import index_words, normalize, piece_lexemes, title_lexeme

    rng = random.Random(2026)
    sentences = []
    for _ in range(N_GENERAL):
        sentences.append(_sentence(rng, None))
    for t in TOPICS:
        for _ in range(PER_TOPIC):
            sentences.append(_sentence(rng, TOPIC_WORDS[t]))
    titles = []
    for t in TOPICS:
        for n in range(TITLES_PER_TOPIC):
            titles.append(_title(rng, TOPIC_WORDS[t], n))
    out = {
        "sentence": [(i + 1, s, sorted(index_words(s))) for i, s in enumerate(sentences)],
        "title": [
            (i + 1, s, sorted((w := index_words(s)) | {title_lexeme(x) for x in w} | piece_lexemes(s)))
            for i, s in enumerate(titles)
        ],
        "keywords": [],
        "docno": [],
    }
    for ti, t in enumerate(TOPICS):
        kw = " ".join(TOPIC_WORDS[t][:2])
        out["keywords"].append((ti, kw, sorted(index_words(kw))))
    for ki, k in enumerate(ISSUER_KINDS):
        probe = normalize(f"机12{k}〔2026〕123号")
        out["docno"].append((ki, k, sorted(index_words(probe) - {"机", "12", "2026", "123", "号"})))
    return out
