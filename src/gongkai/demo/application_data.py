"""Demo application data: proportions of outcomes, applicants and channels (丰台区 2023 report),
names, organisations, topics, and the facts and reasons the demo answers state. Used by
:mod:`gongkai.demo.applications`."""

from __future__ import annotations

from gongkai.applications.models import (
    ApplicationState as S,
)
from gongkai.applications.models import (
    Channel,
)

# Fengtai 2023 (2021 template) result rows; zero rows get 2 so every category occurs.
OUTCOME_WEIGHTS = {
    "granted": 448,
    "partial": 129,
    "withheld_state_secret": 14,
    "withheld_law_prohibited": 2,
    "withheld_security_stability": 2,
    "withheld_third_party": 9,
    "withheld_internal_affairs": 12,
    "withheld_process_info": 28,
    "withheld_enforcement_file": 27,
    "withheld_admin_query": 4,
    "unable_not_held": 1305,
    "unable_needs_creation": 4,
    "unable_still_unclear": 3,
    "np_petition_complaint": 15,
    "np_repeat": 5,
    "np_publication": 2,
    "np_mass_repeated": 2,
    "np_confirm_or_reissue": 2,
    "other_no_correction": 23,
    "other_fee_unpaid": 51,
    "other_other": 86,
}
APPLICANT_WEIGHTS = {
    "natural_person": 2111,
    "legal_commercial": 63,
    "legal_research": 3,
    "legal_public_welfare": 4,
    "legal_legal_services": 8,
    "legal_other": 6,
}
CHANNEL_WEIGHTS = {
    Channel.IN_PERSON: 17,
    Channel.LETTER: 19,
    Channel.INTERNET: 57,
    Channel.EMAIL: 3,
    Channel.FAX: 1,
    Channel.OTHER: 1,
}
# Applications per year (the region grows a little each year); 2026 runs to the as-of date.
YEAR_COUNTS = {2024: 720, 2025: 780, 2026: 760}

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂柴焦向柳邢岳齐梅莫庄辛管祝左涂谷祁时舒耿牟卜路詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏宁柯阮桂闵欧阳解强丛华车冉房边辜吉饶刁瞿戚丘古米池滕晋苑邬臧畅宫来嵺苟全褚廉简娄盖符奚木穆党燕郎邸冀谈姬屠连郜晏栾郁商蒙计喻揭窦迟宇敖糜鄢冷卓花艾蓝都巩稽井练仲乐虞卞封竺冼原官衣楚佟栗匡宗应台巫鞠僖桑荆谌银扬明沙薄伏岑习胥保和蔺"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍建华建国志强海燕雪梅丹婷宇浩然晨阳欣怡子涵梓轩"
ORGS = {
    "legal_commercial": [
        "临江市江北区鑫源建材有限公司",
        "临江恒通物流股份有限公司",
        "临江市江南区老街餐饮店",
        "福建临江新材料科技有限公司",
    ],
    "legal_research": ["临江大学城市规划研究院", "临江市社会科学院"],
    "legal_public_welfare": ["临江市绿水环保志愿者协会", "临江市助残公益基金会"],
    "legal_legal_services": ["福建正衡律师事务所", "临江市明理律师事务所", "临江市法律援助中心"],
    "legal_other": ["临江市江北区滨江社区居民委员会", "临江市个体劳动者协会"],
}
TOPICS = [
    "{place}房屋征收补偿方案及征收决定",
    "{place}地块国有土地使用权出让合同",
    "{place}旧城改造项目立项批复文件",
    "{place}道路拓宽工程规划许可证及附图",
    "{year}年度本单位财政预算执行情况",
    "{place}小区违法建设查处决定书",
    "{year}年度最低生活保障资金发放明细",
    "{place}学校学区划分依据的文件",
    "{place}河道整治工程环境影响评价审批意见",
    "{place}市场食品抽检结果及处理情况",
    "{place}集体土地征收的批准文件及补偿标准",
    "{year}年度公务接待费支出情况",
    "{place}公租房配租名单及审核标准",
    "{place}停车场收费标准的核定文件",
]
PLACES = ["滨江路", "长桥村", "花园新村", "新村镇东片区", "江北区三号", "江南大道", "老城区西街", "临江港区"]

OPEN_STATE_WEIGHTS = {
    S.REGISTERED: 10,
    S.CORRECTION_REQUESTED: 6,
    S.IN_HANDLING: 30,
    S.CONSULTATION: 5,
    S.EXTENSION_PENDING: 4,
    S.FEE_PENDING: 4,
    S.ANSWER_DRAFTED: 8,
    S.REVIEWED: 5,
}
REFUSAL_PREFIXES = ("withheld_", "partial")

# The facts an officer states in a reply (答复要素), as the draft-answer form collects them.
DEMO_FACTS = {
    "access_method": "本机关将以电子邮件方式向您提供，请注意查收",
    "withheld_part": "涉及第三方个人信息的部分",
    "withheld_ground": "withheld_third_party",
    "previous_reply": "本机关此前已就同一内容作出的答复",
    "responsible_agency": "临江市规划和自然资源局",
    "responsible_contact": "0591-88000002",
    "special_law": "《中华人民共和国档案法》",
    "channel": "信访渠道",
    "correction_notice_date": "补正告知书载明的期限",
    "fee_notice_date": "收费通知书载明的期限",
}
DEMO_REASONS = {
    "withheld_state_secret": "该信息已依法确定为国家秘密",
    "withheld_law_prohibited": "该信息属于法律、行政法规禁止公开的信息",
    "withheld_security_stability": "该信息公开后可能危及国家安全、公共安全、经济安全和社会稳定",
    "withheld_third_party": "该信息涉及第三方商业秘密，经书面征求意见，第三方不同意公开",
    "partial": "该部分信息涉及第三方个人隐私，公开会对第三方合法权益造成损害",
    "withheld_internal_affairs": "该信息属于本机关人事管理、后勤管理等内部事务信息",
    "withheld_process_info": "该信息属于本机关在履行行政管理职能过程中形成的讨论记录、过程稿",
    "withheld_enforcement_file": "该信息属于行政执法案卷信息",
    "withheld_admin_query": "该信息属于可通过不动产登记查询途径获取的行政查询事项",
    "np_petition_complaint": "您的申请实为信访、投诉、举报事项",
    "np_mass_repeated": "您在本年度内就相同内容提出大量申请且无正当理由",
    "other_other": "申请人书面撤回申请",
}


def answer_facts(outcome: str) -> dict:
    facts = dict(DEMO_FACTS)
    if outcome in DEMO_REASONS:
        facts["reason"] = DEMO_REASONS[outcome]
    return facts
