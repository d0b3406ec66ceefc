"""A deterministic synthetic Beijing labour market for the local job board.

``build_market(seed, postings, seekers, weeks, end_week)`` draws postings and job-seeker
profiles over ``weeks`` ISO weeks ending with ``end_week``, across the occupations of the 2022
classification that job boards have titles for, Beijing's 16 districts and key industries,
written the way real boards write them (noisy titles, every salary form, many place forms,
reposts and cross-posts, postings that close, a few broken pages).

The answer is planted: ``PLANTED_SHORTAGES`` get several times more openings than seekers and
rising pay; ``PLANTED_SURPLUSES`` the opposite. Tests and the demo check the monitor finds them.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from normalize.taxonomy import occupations

PLANTED_SHORTAGES = {
    "2-02-38-01": "人工智能工程技术人员",
    "2-02-38-09": "集成电路工程技术人员",
    "2-02-10-07": "信息安全工程技术人员",
    "4-10-01-05": "养老护理员",
    "2-05-08-01": "内科护士",
}
# The shortage type each planted shortage should come out with (domain.md: demand scale ×
# supply-demand imbalance). 信息安全 is planted small: few employers, one opening a posting.
PLANTED_TYPES = {
    "2-02-38-01": "供给性紧缺", "2-02-38-09": "供给性紧缺", "2-02-10-07": "小规模供给性紧缺",
    "4-10-01-05": "供给性紧缺", "2-05-08-01": "供给性紧缺",
}
SMALL_SCALE = {"2-02-10-07": 6}  # code: employers posting it
PLANTED_SURPLUSES = {
    "3-01-02-02": "秘书",
    "4-04-05-03": "呼叫中心服务员",
    "2-06-03-00": "会计专业人员",
    "4-01-02-03": "商品营业员",
}
# Titles real boards use for the planted occupations beyond the taxonomy's aliases.
_EXTRA_TITLES = {
    "2-02-38-01": ["大模型算法工程师", "AI工程师", "NLP算法工程师", "计算机视觉工程师"],
    "2-02-38-09": ["芯片设计工程师", "数字IC设计", "IC设计工程师", "验证工程师"],
    "2-02-10-07": ["渗透测试工程师", "安全工程师", "安全运维工程师"],
    "4-10-01-05": ["养老护理员", "护理员", "养老院护工"],
    "2-05-08-01": ["护士", "注册护士", "病房护士"],
    "3-01-02-02": ["总经理助理", "董事长秘书", "行政秘书", "总裁助理", "秘书", "总经理秘书", "老板助理"],
    "4-04-05-03": ["客服专员", "电话客服", "在线客服"],
}
DISTRICTS = {  # district: (weight, functional areas and landmarks postings name)
    "东城区": (5, ["王府井", "东直门"]), "西城区": (6, ["金融街", "西直门"]),
    "朝阳区": (24, ["望京", "CBD", "国贸", "酒仙桥", "三里屯", "大望路"]),
    "海淀区": (26, ["中关村", "上地", "西二旗", "五道口", "紫竹桥", "知春路"]),
    "丰台区": (7, ["丽泽", "总部基地"]), "石景山区": (3, ["首钢园"]),
    "门头沟区": (1, []), "房山区": (2, ["良乡"]), "通州区": (5, ["城市副中心"]),
    "顺义区": (4, ["临空经济区"]), "昌平区": (6, ["未来科学城", "回龙观", "生命科学园"]),
    "大兴区": (6, ["亦庄", "大兴机场临空经济区"]), "怀柔区": (1, ["怀柔科学城"]),
    "平谷区": (1, []), "密云区": (1, []), "延庆区": (1, []),
}
_OTHER_CITIES = ["上海-浦东新区", "深圳·南山区·科技园", "天津-滨海新区", "河北廊坊", "杭州·余杭区"]
_INDUSTRY_BY_MAJOR_PREFIX = [
    ("2-02-38", "人工智能"), ("2-02-10", "互联网/IT服务"), ("2-02-09", "集成电路/半导体"),
    ("2-05", "医疗健康"), ("4-10", "养老服务"), ("2-06", "金融"), ("4-05", "金融"),
    ("4-01", "批发零售/电子商务"), ("4-03", "餐饮/酒店"), ("4-02", "交通运输/物流"),
    ("2-02-07", "智能装备制造"), ("2-02-11", "新能源"), ("2-02-12", "绿色能源与节能环保"),
    ("2-02-32", "生物医药"), ("2-02", "科技服务"), ("2-09", "文化创意"), ("2-08", "教育培训"),
    ("4-04", "信息技术服务"), ("4-06", "房地产/物业"), ("4-07", "商务服务"), ("6-", "制造业"),
    ("3-", "商务服务"), ("1-", "企业管理"), ("4-", "生活服务"), ("2-", "专业服务"), ("5-", "现代农业"),
    ("", "其他"),
]
_PAY_BASE = {"1": 30000, "2": 17000, "2-05": 11000, "3": 7500, "4": 7000, "5": 6000, "6": 8000}
_NOISE = [
    "{t}", "{t}", "{t}", "{t}（急招）", "{t}【五险一金】", "北京 {t} 五险一金 包住", "高级{t}", "资深{t}",
    "初级{t}", "{t}-{d}", "{t}（{d}）", "{t} 双休", "急聘{t}", "{t} 月入1万+", "{t}(可实习)", "{t}/{t2}",
    "【{d}】{t}", "{t} 包吃住", "{t}（13薪）", "{t} 不加班",
]
_SENIORITY = ["经验不限", "1-3年", "3-5年", "5-10年", "应届生", "1年以内", "10年以上"]
_EDUCATION = ["本科", "大专", "硕士", "学历不限", "本科及以上", "博士", "高中", "中专/中技"]
_SYLLABLES = "智云数创联华新达鼎盛博思睿源恒宇航芯康泰安信嘉合汇通明远科瑞丰和天润星辰启元"
_COMPANY_WORDS = ["科技", "信息技术", "网络科技", "医疗", "电子", "数据", "智能科技", "健康管理", "人力资源",
                  "商贸", "教育科技", "养老服务", "半导体", "软件"]


@dataclass(frozen=True, slots=True)
class BoardPosting:
    id: str
    code: str                      # the true occupation (ground truth, not served)
    title: str
    company: str
    industry: str
    salary_text: str
    salary_structured: tuple[float, float] | None  # monthly CNY bounds served as schema.org MonetaryAmount
    location: str | dict           # a string, or a schema.org PostalAddress dict
    district: str | None
    posted: date
    valid_through: date
    education: str
    experience: str
    headcount: int
    description: str
    broken: str | None = None      # 'jsonld_invalid' | 'no_title' pages, to exercise rejects


@dataclass(frozen=True, slots=True)
class BoardSeeker:
    id: str
    code: str
    desired_title: str
    location: str
    expected_salary: str
    education: str
    experience: str
    active_from: date
    active_to: date                # last day seen active (≤ the board's today)


@dataclass
class Market:
    postings: list[BoardPosting]
    seekers: list[BoardSeeker]
    weeks: list[str]
    today: date
    occupations: list[str] = field(default_factory=list)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_monday(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)


def last_complete_week(now: datetime) -> str:
    """The ISO week before the one ``now`` falls in."""
    return iso_week(now.date() - timedelta(days=7))


# The taxonomy's aliases of 秘书 are mostly office clerks (文员, 行政专员: 行政事务处理人员 under the
# labelling conventions), so the planted surplus of secretaries uses secretaries' titles only.
_ONLY_EXTRA_TITLES = {"3-01-02-02"}


def _board_titles(code: str) -> list[str]:
    occ = occupations()[code]
    if code in _ONLY_EXTRA_TITLES:
        return list(_EXTRA_TITLES[code])
    titles = [a for a in occ.aliases if a != occ.name and not a.endswith(("S", "L")) and len(a) >= 2]
    return titles + _EXTRA_TITLES.get(code, [])


def market_occupations() -> list[str]:
    """Leaf occupations boards have at least two titles for (not 1-01..1-05 state organs)."""
    chosen = []
    for occ in occupations().values():
        if occ.level != 4 or occ.code[:4] in ("1-01", "1-02", "1-03", "1-04", "1-05"):
            continue
        if len(_board_titles(occ.code)) >= 2 or occ.code in PLANTED_SHORTAGES or occ.code in PLANTED_SURPLUSES:
            chosen.append(occ.code)
    return sorted(chosen)


def _industry(code: str) -> str:
    return next(name for prefix, name in _INDUSTRY_BY_MAJOR_PREFIX if code.startswith(prefix))


def _salary_text(rng: random.Random, low: float, high: float, code: str) -> tuple[str, tuple[float, float] | None]:
    """A display string for a monthly range, in one of the forms boards use."""
    def k(v):
        return f"{v / 1000:.0f}"

    def wan(v):
        return f"{v / 10000:.1f}".rstrip("0").rstrip(".")

    form = rng.random()
    if form < 0.06:
        return rng.choice(["面议", "薪资面议"]), None
    if form < 0.24:
        return f"{low:.0f}-{high:.0f}元/月", (round(low), round(high))
    if form < 0.44:
        text = f"{k(low)}-{k(high)}K"
        return (text + f"·{rng.choice([13, 13, 14, 15, 16])}薪") if rng.random() < 0.4 else text, None
    if form < 0.52 and high < 10000:
        return f"{k(low)}-{k(high)}千", None
    if form < 0.60 and low < 9500 and high >= 10000:
        return f"{k(low)}千-{wan(high)}万", None
    if form < 0.70 and low >= 10000:
        return f"{wan(low)}-{wan(high)}万", None
    if form < 0.76 and low >= 12000:
        return f"{low * 12 / 10000:.0f}-{high * 12 / 10000:.0f}万/年", None
    if form < 0.82 and code[0] in "46":
        return f"{low / 21.75:.0f}-{high / 21.75:.0f}元/天", None
    if form < 0.85 and code[0] in "46":
        return f"{(low + high) / 2 / 174:.0f}元/时", None
    if form < 0.89:
        return f"{wan(low) + '万' if low >= 10000 else k(low) + '千'}以上", None
    return f"{low:.0f}-{high:.0f}", None


def _location(rng: random.Random, district: str, area: str | None) -> str | dict:
    short = district[:-1]
    forms = [
        f"北京·{district}·{area}" if area else f"北京·{district}",
        f"北京-{district}",
        f"北京北京{district}{area or ''}",
        short,
        f"北京市{district}{area or ''}",
        {"addressRegion": "北京", "addressLocality": district, "streetAddress": area or ""},
        area or f"北京{short}",
    ]
    return rng.choice(forms)


def _company_pool(rng: random.Random, size: int) -> list[str]:
    names = set()
    while len(names) < size:
        core = "".join(rng.sample(_SYLLABLES, 2))
        word = rng.choice(_COMPANY_WORDS)
        style = rng.random()
        if style < 0.5:
            names.add(f"北京{core}{word}有限公司")
        elif style < 0.8:
            names.add(f"{core}{word}（北京）有限公司")
        else:
            names.add(f"{core}{word}股份有限公司")
    return sorted(names)


def build_market(seed: int = 20261122, postings: int = 20_000, seekers: int = 15_000, weeks: int = 12,
                 end_week: str = "2026-W46") -> Market:
    """Draw the market; the same arguments always give the same market."""
    rng = random.Random(seed)
    codes = market_occupations()
    week_list = [iso_week(week_monday(end_week) - timedelta(weeks=weeks - 1 - i)) for i in range(weeks)]
    start = week_monday(week_list[0])
    today = week_monday(end_week) + timedelta(days=6)
    districts = list(DISTRICTS)
    district_weights = [DISTRICTS[d][0] for d in districts]
    companies = _company_pool(rng, max(200, postings // 12))

    weight = {c: rng.lognormvariate(0, 0.9) for c in codes}
    # planted occupations are large enough for the monitor's small-cell thresholds at 6,000 postings
    for c in PLANTED_SHORTAGES:
        weight[c] = 10.0
    weight["2-02-10-07"] = 13.0  # small-scale shortage: postings enough to measure, but few openings and employers
    for c in PLANTED_SURPLUSES:  # clerks, call centres, accounting, shop staff: large and slack
        weight[c] = 12.0
    demand_trend = {c: 1.045 if c in PLANTED_SHORTAGES else 0.975 if c in PLANTED_SURPLUSES else 1.0 for c in codes}
    pay_trend = {c: 1.015 if c in PLANTED_SHORTAGES else 0.997 if c in PLANTED_SURPLUSES else 1.0 for c in codes}
    target_ratio = {c: 4.0 if c in PLANTED_SHORTAGES else 0.3 if c in PLANTED_SURPLUSES
                    else rng.uniform(0.8, 1.25) for c in codes}
    # A small-scale shortage is one by its imbalance alone (求人倍率 ≥ 2 in the monitor), and its
    # ratio is published only over 10 or more seekers (fewer would give them back). The target is
    # low because the board's seekers fall short of every target (the realised ratio comes out near
    # 3–4 at 6,000 postings, over 16–23 seekers a week).
    target_ratio.update({c: 1.6 for c in SMALL_SCALE})
    pay_base = {c: _PAY_BASE.get(c[:4], _PAY_BASE[c[0]]) * rng.lognormvariate(0, 0.25) * (1.3 if c in PLANTED_SHORTAGES else 1.0)
                for c in codes}
    employers_of = {c: rng.sample(companies, SMALL_SCALE.get(c, min(len(companies), 8 + int(weight[c] * 25))))
                    for c in codes}

    cells = [(c, w) for c in codes for w in range(weeks)]
    cell_weights = [weight[c] * demand_trend[c] ** w for c, w in cells]
    originals = int(postings / 1.13)  # reposts and cross-posts bring the total to ``postings``
    drawn = rng.choices(cells, weights=cell_weights, k=originals)

    result: list[BoardPosting] = []
    active_openings = {c: [0.0] * weeks for c in codes}
    for n, (code, w) in enumerate(drawn):
        posted = start + timedelta(days=7 * w + rng.randrange(7))
        stay = rng.lognormvariate(math.log(20 if code in PLANTED_SHORTAGES else 14), 0.5)
        valid = posted + timedelta(days=max(3, round(stay)))
        district = rng.choices(districts, weights=district_weights)[0]
        area = rng.choice(DISTRICTS[district][1]) if DISTRICTS[district][1] and rng.random() < 0.6 else None
        mid = pay_base[code] * pay_trend[code] ** w * rng.lognormvariate(0, 0.2)
        low, high = round(mid * 0.85, -2), round(mid * 1.2, -2)
        salary_text, structured = _salary_text(rng, low, high, code)
        titles = _board_titles(code)
        title = rng.choice(_NOISE).format(t=rng.choice(titles), t2=rng.choice(titles), d=district[:-1])
        company = rng.choice(employers_of[code])
        headcount = 1 if code in SMALL_SCALE else rng.choices([1, 2, 3, 5, 10], weights=[60, 20, 10, 7, 3])[0]
        location = _location(rng, district, area)
        if rng.random() < 0.02:
            location, district = rng.choice(_OTHER_CITIES), None
        posting = BoardPosting(
            id=f"{100000 + n}", code=code, title=title, company=company, industry=_industry(code),
            salary_text=salary_text, salary_structured=structured, location=location, district=district,
            posted=posted, valid_through=valid, education=rng.choice(_EDUCATION),
            experience=rng.choice(_SENIORITY), headcount=headcount,
            description=f"岗位职责：负责{titles[0]}相关工作。任职要求：{rng.choice(_EDUCATION)}，"
                        f"{rng.choice(_SENIORITY)}经验，沟通能力强。",
            broken="jsonld_invalid" if rng.random() < 0.002 else "no_title" if rng.random() < 0.001 else None,
        )
        result.append(posting)
        if district:
            for k in range(weeks):
                week_start = start + timedelta(weeks=k)
                if posted <= week_start + timedelta(days=6) and valid >= week_start:
                    active_openings[code][k] += headcount
        if rng.random() < 0.08:  # the same employer reposts the job a few weeks later
            reposted = posted + timedelta(days=rng.randint(14, 35))
            if reposted <= today:
                result.append(_copy(posting, id=f"R{posting.id}", posted=reposted,
                                    valid_through=reposted + (valid - posted)))
        if rng.random() < 0.05:  # cross-posted through a partner channel
            result.append(_copy(posting, id=f"P{posting.id}"))

    seeker_weeks = {c: [active_openings[c][k] / target_ratio[c] for k in range(weeks)] for c in codes}
    # Seekers active before the first week or after today count for nothing in the window, so
    # the average stay is tuned until the seeker-weeks inside the window hit the target.
    target = sum(sum(v) for v in seeker_weeks.values())
    # A stay longer than the window adds nothing inside it: the cap keeps a board with few
    # seekers (where the target cannot be met) from drawing ever longer stays.
    max_stay = 2.0 * weeks
    stay_weeks = min(max_stay, max(1.0, target / max(1, seekers)))
    for _ in range(4):
        people = _draw_seekers(random.Random(seed + 1), seekers, seeker_weeks, stay_weeks, start, today, pay_base,
                               pay_trend, districts, district_weights)
        achieved = sum(_weeks_inside(s, start, today) for s in people)
        stay_weeks = min(max_stay, stay_weeks * target / max(achieved, 1.0))
    result.sort(key=lambda p: (p.posted, p.id))
    people.sort(key=lambda s: (s.active_from, s.id))
    return Market(postings=result, seekers=people, weeks=week_list, today=today, occupations=codes)


def _draw_seekers(rng: random.Random, count: int, seeker_weeks: dict[str, list[float]], stay_weeks: float,
                  start: date, today: date, pay_base: dict, pay_trend: dict, districts: list[str],
                  district_weights: list[int]) -> list[BoardSeeker]:
    """Seekers start looking in a week drawn in proportion to the target, and stay about
    ``stay_weeks``; weeks before the window repeat its first week, so that the first weeks
    already hold seekers who started earlier."""
    lead = math.ceil(1.5 * stay_weeks)
    cells = [(c, k) for c, per_week in seeker_weeks.items() for k in range(-lead, len(per_week))]
    weights = [seeker_weeks[c][max(k, 0)] for c, k in cells]
    people = []
    for n, (code, k) in enumerate(rng.choices(cells, weights=weights, k=count)):
        duration = max(7, round(rng.uniform(0.5, 1.5) * stay_weeks * 7))
        active_from = start + timedelta(days=7 * k + rng.randrange(7))
        active_to = min(today, active_from + timedelta(days=duration))
        district = rng.choices(districts, weights=district_weights)[0]
        titles = _board_titles(code)
        mid = pay_base[code] * pay_trend[code] ** max(k, 0) * rng.lognormvariate(0, 0.2)
        expected, _ = _salary_text(rng, round(mid * 0.9, -2), round(mid * 1.15, -2), code)
        people.append(BoardSeeker(
            id=f"S{200000 + n}", code=code, desired_title=rng.choice(titles),
            location=rng.choice([f"北京·{district}", f"北京-{district}", district[:-1], "北京"]),
            expected_salary=expected, education=rng.choice(_EDUCATION), experience=rng.choice(_SENIORITY),
            active_from=active_from, active_to=active_to,
        ))
    return people


def _weeks_inside(seeker: BoardSeeker, start: date, today: date) -> int:
    """How many weeks of the window the seeker is active in (as the monitor counts them)."""
    first = max(seeker.active_from, start)
    last = min(seeker.active_to, today)
    if last < first:
        return 0
    return (last - start).days // 7 - (first - start).days // 7 + 1


def _copy(posting: BoardPosting, **changes) -> BoardPosting:
    values = {name: getattr(posting, name) for name in BoardPosting.__slots__}
    values.update(changes)
    return BoardPosting(**values)
