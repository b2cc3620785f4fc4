"""Default topic taxonomy (主题分类), close to the State Council policy library's list (gov.cn
国务院政策文件库: 22 top-level topics; a few sub-topics that local sites use most). Administrators
edit it in admin → 主题分类. Codes: two digits per level."""

TOPICS: list[tuple[str, str, list[str]]] = [
    ("01", "国务院组织机构", []),
    ("02", "综合政务", ["政务公开", "应急管理", "政务督查", "电子政务"]),
    ("03", "国民经济管理、国有资产监管", ["宏观经济", "经济体制改革", "国有资产监管", "统计"]),
    ("04", "财政、金融、审计", ["财政", "金融", "审计"]),
    ("05", "国土资源、能源", ["土地", "矿产", "能源"]),
    ("06", "农业、林业、水利", ["农业、畜牧业、渔业", "林业", "水利"]),
    ("07", "工业、交通", ["工业", "交通"]),
    ("08", "商贸、海关、旅游", ["国内贸易", "对外经贸合作", "旅游"]),
    ("09", "市场监管、安全生产监管", ["市场监管", "安全生产监管", "食品药品监管"]),
    ("10", "城乡建设、环境保护", ["城市规划", "住房保障", "环境监测、保护与治理"]),
    ("11", "科技、教育", ["科技", "教育"]),
    ("12", "文化、广电、新闻出版", ["文化", "广播影视", "新闻出版"]),
    ("13", "卫生、体育", ["卫生", "医药管理", "体育"]),
    ("14", "人口与计划生育、妇女儿童工作", ["人口与计划生育", "妇女儿童"]),
    ("15", "劳动、人事、监察", ["就业", "社会保障", "公务员管理"]),
    ("16", "公安、安全、司法", ["公安", "司法"]),
    ("17", "民政、扶贫、救灾", ["社会救助", "养老服务", "扶贫", "减灾救灾"]),
    ("18", "民族、宗教", []),
    ("19", "对外事务", []),
    ("20", "港澳台侨工作", []),
    ("21", "国防", []),
    ("22", "其他", []),
]


def install(topic_model) -> None:
    """Create the default topics that are missing (the data migration; the demo after a flush)."""
    for i, (code, name, children) in enumerate(TOPICS, start=1):
        parent, _ = topic_model.objects.get_or_create(code=code, defaults={"name": name, "sort": i * 100})
        for j, child in enumerate(children, start=1):
            topic_model.objects.get_or_create(
                code=f"{code}{j:02d}", defaults={"name": child, "parent": parent, "sort": i * 100 + j}
            )
