"""Japanese quantities by kind of expression (issue 12), table-driven with the real ja_ginza model.

Each kind has positive sentences and negative ones that stop its rule from over-firing. All sentences are made up
for these tests. Expected rows: (surface, value, value_max, unit, qualifier).
"""
import pytest

KANJI_AND_MIXED = [
    ("避難者は八十二万人に達した。", [("八十二万人", 820000, None, "person", "exact")]),
    ("損害は五十六万七千ドルと算定された。", [("五十六万七千ドル", 567000, None, "USD", "exact")]),
    ("申請は二百五万件を超えた。", [("二百五万件を超えた", 2050000, None, "case", "more_than")]),
    ("費用は三百万から六百万円と見込まれる。", [("三百万から六百万円", 3000000, 6000000, "JPY", "range")]),
    ("出席者は三十七名であった。", [("三十七名", 37, None, "person", "exact")]),
    ("登録は四〇〇万件に上る。", [("四〇〇万件", 4000000, None, "case", "exact")]),
    ("およそ二十人が負傷した。", [("およそ二十人", 20, None, "person", "approx")]),
    ("約三十人以上が拘束された。", [("約三十人以上", 30, None, "person", "at_least")]),
    ("歳入は61兆2千億円であった。", [("61兆2千億円", 61200000000000, None, "JPY", "exact")]),
    ("防衛費は４５・８兆円に膨らんだ。", [("４５・８兆円", 45800000000000, None, "JPY", "exact")]),
    ("輸出量は3500千トンだった。", [("3500千トン", 3500000, None, "ton", "exact")]),
    ("赤字は1,230百万円となった。", [("1,230百万円", 1230000000, None, "JPY", "exact")]),
    ("参加者は 2 万 3000 人に達した。", [("2 万 3000 人", 23000, None, "person", "exact")]),
    ("兵力は2～4万人と推定される。", [("2～4万人", 20000, 40000, "person", "range")]),
    ("加盟は三十一の国と地域に広がった。", [("三十一", 31, None, "country", "exact")]),
    # older and Diet texts: kanji with a middle dot as decimal point, kanji vague amounts
    ("前年度比九・四パーセント増となった。", [("九・四パーセント", 9.4, None, "percent", "exact")]),
    ("三十数万人が移住した。", [("三十数万人", None, None, "person", "vague")]),
    ("援助は約二十一億三千五百万ドルで、約四十二パーセント増えた。",
     [("約二十一億三千五百万ドル", 2135000000, None, "USD", "approx"), ("約四十二パーセント", 42, None, "percent", "approx")]),
    # older texts: positional kanji with 、 between groups of three; a kanji digit borrows the second's place word
    ("拠出は一、五〇〇億円に上る。", [("一、五〇〇億円", 150000000000, None, "JPY", "exact")]),
    ("参加者は三、四百人であった。", [("三、四百人", 300, 400, "person", "range")]),
    ("入国者は七～八十人だった。", [("七～八十人", 70, 80, "person", "range")]),
    ("工事は二、三年で終わる。", [("二、三年", 2, 3, "year_duration", "range")]),
    ("被災者は3万数千人、被害は2億数千万円に上る。",
     [("3万数千人", None, None, "person", "vague"), ("2億数千万円", None, None, "JPY", "vague")]),
    ("会合は同月8、9日に開かれ、平成元、二年の統計と一、二、三の項目を扱った。", []),
    # a number written with 万, 億 or 兆 counts without a counter; a range of two such numbers too
    ("兵力は二百万から三百万と推定された。", [("二百万から三百万", 2000000, 3000000, "person", "range")]),
    ("人口約四十五万の都市で、避難者は十二万三千に上る。",
     [("約四十五万", 450000, None, "person", "approx"), ("十二万三千", 123000, None, "person", "exact")]),
    ("来場者は1,500万を超え、売上は3億を超えた。",
     [("1,500万を超え", 15000000, None, "person", "more_than"), ("3億を超えた", 300000000, None, "", "more_than")]),
    # negatives: a change between two bare figures is two figures; a code after 万
    ("生産は200万から250万に増えた。", [("200万", 2000000, None, "", "exact"), ("250万", 2500000, None, "", "exact")]),
    ("型式は3万A型である。", []),
    ("5 万全の備えで臨む。", []),
    # a switch of digit width ends a number (a table cell run into the next one)
    ("令和２年（２０２０）15人", [("15人", 15, None, "person", "exact")]),
    ("支持は三割五分、期間は一年九カ月。", [("三割五分", 35, None, "percent", "exact"),
                                   ("一年九カ月", 1.75, None, "year_duration", "exact")]),
    # negatives: four-character idioms of two kanji digits
    ("一石二鳥を狙い、二人三脚で進め、一件一件確かめた。十人十色の意見。", []),
    # negatives: kanji inside words, names, a middle dot joining list items
    ("準備は十分に整っており、一方で一部は一層困難になった。", []),
    ("六者会合と四大臣会合が開かれた。", []),
    ("安倍晋三首相と三菱重工の関係者。", []),
    ("第1・2四半期の結果を公表した。", []),
]

COUNTERS_AND_UNITS = [
    ("財務省は5個人と3団体を制裁対象に加えた。",
     [("5個人", 5, None, "person", "exact"), ("3団体", 3, None, "organization", "exact")]),
    ("新組織は旧来の6部門を統合した。", [("6部門", 6, None, "organization", "exact")]),
    ("4種類の無人機と2機種の戦闘機を公開した。",
     [("4種類", 4, None, "kind", "exact"), ("2機種", 2, None, "kind", "exact")]),
    ("流出したのは約300ファイルだった。", [("約300ファイル", 300, None, "file", "approx")]),
    ("強盗は3人組で、5人ずつ交代した。", [("3人組", 3, None, "person", "exact"), ("5人", 5, None, "person", "exact")]),
    ("経済規模は12倍となり、その後約2.7倍に拡大した。",
     [("12倍", 12, None, "times", "exact"), ("約2.7倍", 2.7, None, "times", "approx")]),
    ("同月には3度発射し、通算9回の実験を行った。",
     [("3度", 3, None, "count", "exact"), ("9回", 9, None, "count", "exact")]),
    ("領海は基線から12海里である。", [("12海里", 12, None, "nautical_mile", "exact")]),
    ("島の面積は約35平方キロメートルである。", [("約35平方キロメートル", 35, None, "square_kilometer", "approx")]),
    ("水域は約214万平方キロメートルに及ぶ。", [("約214万平方キロメートル", 2140000, None, "square_kilometer", "approx")]),
    ("貨物船は時速18キロで航行し、潮流は3キロメートル／時だった。",
     [("時速18キロ", 18, None, "km_per_hour", "exact"), ("3キロメートル／時", 3, None, "km_per_hour", "exact")]),
    ("高度約400mで旋回し、20ノットで離脱した。",
     [("約400m", 400, None, "meter", "approx"), ("20ノット", 20, None, "knot", "exact")]),
    ("押収量は12kgに上った。", [("12kg", 12, None, "kilogram", "exact")]),
    ("単価は8USドル、手数料は¥500だった。",
     [("8USドル", 8, None, "USD", "exact"), ("¥500", 500, None, "JPY", "exact")]),
    ("中国は巡視船3隻と巡視艇2艇を派遣した。",
     [("3隻", 3, None, "ship", "exact"), ("2艇", 2, None, "ship", "exact")]),
    ("ミサイル関連施設は少なくとも15カ所ある。", [("少なくとも15カ所", 15, None, "site", "at_least")]),
    ("核実験の威力は約50キロトンと推定される。", [("約50キロトン", 50, None, "kiloton", "approx")]),
    # counters of sanctions lists, aid and disaster reports
    ("当局は6法人と大手の3行を指定した。", [("6法人", 6, None, "organization", "exact"),
                                  ("3行", 3, None, "organization", "exact")]),
    ("木造船4艘と住宅25戸が被害を受けた。", [("4艘", 4, None, "ship", "exact"), ("25戸", 25, None, "household", "exact")]),
    ("輸出禁止は約700品目、協力は9項目に及ぶ。", [("約700品目", 700, None, "item", "approx"),
                                      ("9項目", 9, None, "item", "exact")]),
    ("本年度は21案件を採択し、週7便を増便した。", [("21案件", 21, None, "project", "exact"), ("7便", 7, None, "flight", "exact")]),
    ("有人の8島と物流の4拠点を結ぶ。", [("8島", 8, None, "island", "exact"), ("4拠点", 4, None, "site", "exact")]),
    # counters of buildings, facilities, votes, military units (GiNZA's entities gave them without a unit)
    ("校舎5棟と病床80床、学校3校が被災した。", [("5棟", 5, None, "building", "exact"), ("80床", 80, None, "bed", "exact"),
                                     ("3校", 3, None, "school", "exact")]),
    ("査察団は4施設と2基地を訪れ、3部隊を視察した。", [("4施設", 4, None, "facility", "exact"),
                                        ("2基地", 2, None, "base", "exact"), ("3部隊", 3, None, "unit", "exact")]),
    ("賛成98票、反対7票で、与党は約230議席を得た。", [("98票", 98, None, "vote", "exact"), ("7票", 7, None, "vote", "exact"),
                                        ("約230議席", 230, None, "seat", "approx")]),
    ("口上書3通と毛布500枚を送った。", [("3通", 3, None, "document", "exact"), ("500枚", 500, None, "sheet", "exact")]),
    # a paragraph's leading number and space before a word that only starts like a counter is its number
    ("2 機関投資家との対話を重ねる。", []),
    ("4 カ国協議の再開を求める。", []),
    ("2 機関が新たに加わった。", [("2 機関", 2, None, "organization", "exact")]),
    # a number glued to an acronym of capitals counts when a unit follows; names keep a hyphen or a letter after
    ("同国はIRBM2発を発射し、ASEAN10か国が懸念を示した。",
     [("2発", 2, None, "missile", "exact"), ("10か国", 10, None, "country", "exact")]),
    ("PAC-3とSM3ブロック2A、G20とKN-23の配備。", []),
    # negatives: a kanji numeral before 島 is a name; page references, ordinals of a counter (目 after 項 / 回 / 行 is an ordinal, 品目 is a unit)
    ("本文の27ページと付録の3頁を参照。", []),
    ("南方三島と九十九島、六島の観光。", []),
    ("上から5行目と3回目の会合。", []),
    # negatives: a counter only up to a token end, coordinates and names with 度, per-unit phrases, ordinals
    ("出力は5キロワットであった。", [("5キロワット", 5, None, "kilowatt", "exact")]),
    ("農地40ヘクタールと出力2MWの設備、水200リットル。", [("40ヘクタール", 40, None, "hectare", "exact"),
                                          ("2MW", 2, None, "megawatt", "exact"), ("200リットル", 200, None, "liter", "exact")]),
    ("変換はMWh単位で、5MWhを記録した。", []),
    ("北緯38度線を越えた。", []),
    ("住民1人当たり10万円を支給した。", [("10万円", 100000, None, "JPY", "exact")]),
    ("入場は1人3000円である。", [("3000円", 3000, None, "JPY", "exact")]),
    ("今回が15回目の発射で、10本目の記録となった。", []),
    ("もう一度確認し、一歩前進した。二度と繰り返さない。", []),
    ("憲法9条と決議1874号、テポドン2号、3号機、89式小銃。", []),
]

DURATIONS = [
    ("会談は約25分間行われた。", [("約25分間", 25, None, "minute_duration", "approx")]),
    ("協議は約40分で終了した。", [("約40分", 40, None, "minute_duration", "approx")]),
    ("審議は6時間にわたった。", [("6時間", 6, None, "hour_duration", "exact")]),
    ("領海内に19時間45分とどまった。", [("19時間45分", 19.75, None, "hour_duration", "exact")]),
    ("交流は3世紀にわたり続いた。", [("3世紀", 3, None, "century_duration", "exact")]),
    ("派遣は2年4か月に及んだ。", [("2年4か月", 2.333333, None, "year_duration", "exact")]),
    ("交渉は2年半にわたった。", [("2年半", 2.5, None, "year_duration", "exact")]),
    ("本借款は償還期間30年（うち据置期間10年）とする。",
     [("30年", 30, None, "year_duration", "exact"), ("10年", 10, None, "year_duration", "exact")]),
    ("償還期間：20年（6年の据置期間を含む）", [("20年", 20, None, "year_duration", "exact"),
                                       ("6年", 6, None, "year_duration", "exact")]),
    ("返済は八年据置き二十五年償還とする。",
     [("八年", 8, None, "year_duration", "exact"), ("二十五年", 25, None, "year_duration", "exact")]),
    ("条件は償還35年（うち据置8年）、据置期間5年を含む20年の2種。",
     [("35年", 35, None, "year_duration", "exact"), ("8年", 8, None, "year_duration", "exact"),
      ("5年", 5, None, "year_duration", "exact"), ("20年", 20, None, "year_duration", "exact"),
      ("2種", 2, None, "kind", "exact")]),
    ("過去15年で国防費は増えた。", [("15年", 15, None, "year_duration", "exact")]),
    ("本協定の有効期間は、三年とする。", [("三年", 3, None, "year_duration", "exact")]),
    ("侵入は年間で280日に及んだ。", [("280日", 280, None, "day_duration", "exact")]),
    ("確認日数は４００日であった。", [("４００日", 400, None, "day_duration", "exact")]),
    ("訓練は3日連続で行われた。", [("3日", 3, None, "day_duration", "exact")]),
    ("数十年にわたり対立が続き、十数年ぶりに会談した。",
     [("数十年", None, None, "year_duration", "vague"), ("十数年", None, None, "year_duration", "vague")]),
    ("政府は5カ年計画を決定した。", [("5カ年", 5, None, "year_duration", "exact")]),
    # fractions are shares, as the English two-thirds (never three minutes); a minute count before の stays one
    ("回答者の3分の1が反対した。", [("3分の1", 33.333333, None, "percent", "exact")]),
    ("可決には3分の2以上の賛成を要する。", [("3分の2以上", 66.666667, None, "percent", "at_least")]),
    ("会合は5分の遅れで始まった。", [("5分", 5, None, "minute_duration", "exact")]),
    ("比率は3分の4と書かれていた。", []),
    # negatives: dates, era years without the era, clock times
    ("過去最多だった3年と比べて増えた。", []),
    ("2023年12月15日午前10時20分に発射した。", []),
    ("同月5日に発表し、10日から協議した。", []),
    ("午後2時から約30分間会談した。", [("約30分間", 30, None, "minute_duration", "approx")]),
    ("21世紀の安全保障環境。", []),
    ("1990年代と2020年度の比較。", []),
]

MEASURES_AND_SIGNS = [
    ("支持率は4割2分5厘だった。", [("4割2分5厘", 42.5, None, "percent", "exact")]),
    ("投票率は1.7%ポイント、得票率は3パーセントポイント下がった。",
     [("1.7%ポイント", 1.7, None, "percentage_point", "exact"), ("3パーセントポイント", 3, None, "percentage_point", "exact")]),
    ("住民の6割が反対した。", [("6割", 60, None, "percent", "exact")]),
    ("賛成は3割強、反対は1～2割だった。",
     [("3割強", 30, None, "percent", "more_than"), ("1～2割", 10, 20, "percent", "range")]),
    ("燃料を2本半使った。", [("2本半", 2.5, None, "item", "exact")]),
    ("収支は-2,150億円、前年は▲300億円だった。",
     [("-2,150億円", -215000000000, None, "JPY", "exact"), ("▲300億円", -30000000000, None, "JPY", "exact")]),
    ("気温はマイナス12度まで下がった。", [("マイナス12度まで", -12, None, "celsius", "at_most")]),
    ("昼には気温28度を観測した。", [("28度", 28, None, "celsius", "exact")]),
    ("差額はー１，２００円である。", [("ー１，２００円", -1200, None, "JPY", "exact")]),
    # negatives: a hyphen after a name or number, a long-vowel mark after katakana
    ("F-35を2機配備し、電話は03-1234-5678である。", [("2機", 2, None, "aircraft", "exact")]),
    ("メーター3台を設置した。", [("3台", 3, None, "vehicle", "exact")]),
    ("1,000-1,500人が集まった。", [("1,000-1,500人", 1000, 1500, "person", "range")]),
]

QUALIFIERS = [
    ("援助は2,000億円を超え、過去最大となった。", [("2,000億円を超え", 200000000000, None, "JPY", "more_than")]),
    ("到達高度は1,000キロを大きく越えた。", [("1,000キロを大きく越えた", 1000, None, "kilometer", "more_than")]),
    ("発射は300回を超え、記録を更新した。", [("300回を超え", 300, None, "count", "more_than")]),
    ("募集は5人～とする。", [("5人～", 5, None, "person", "at_least")]),
    ("定員は～20人である。", [("～20人", 20, None, "person", "at_most")]),
    ("周辺には数100機の無人機が展開した。", [("数100機", None, None, "aircraft", "vague")]),
    ("歳出は三年連続で二桁の伸びとなった。", [("三年", 3, None, "year_duration", "exact"), ("二桁", None, None, "percent", "vague")]),
    ("生産は2倍近くに増えた。", [("2倍近く", 2, None, "times", "less_than")]),
    ("出席者は30人余であった。", [("30人余", 30, None, "person", "more_than")]),
    ("接続水域は24カイリまでである。", [("24カイリまで", 24, None, "nautical_mile", "at_most")]),
    ("100人から200人までが参加できる。", [("100人から200人まで", 100, 200, "person", "range")]),
    ("会合には30余カ国が参加し、対立は40余年に及んだ。",
     [("30余カ国", 30, None, "country", "more_than"), ("40余年", 40, None, "year_duration", "more_than")]),
    ("砲弾を4、5発撃ち込んだ。", [("4、5発", 4, 5, "round", "range")]),
    ("回答は5日以内とし、完成まで20年程度かかる。",
     [("5日以内", 5, None, "day_duration", "at_most"), ("20年程度", 20, None, "year_duration", "approx")]),
    # negatives: a change from one figure to another is two figures; a comma between numbers that are not
    # neighbours lists them
    ("予算は二億ドルから三億ドルに増加した。", [("二億ドル", 200000000, None, "USD", "exact"),
                                     ("三億ドル", 300000000, None, "USD", "exact")]),
    ("比率は12%から9%へ低下した。", [("12%", 12, None, "percent", "exact"), ("9%", 9, None, "percent", "exact")]),
    ("負傷者は3、7人と報告された。", [("7人", 7, None, "person", "exact")]),
    ("避難者は2、3万人に上る。", [("2、3万人", 20000, 30000, "person", "range")]),
    ("損失は5、8万ドルとされた。", [("8万ドル", 80000, None, "USD", "exact")]),
    ("回答期限は5日以降とする。", []),
    # negatives: a range mark between numbers is a range, not an open one; 数 after a noun is not vague
    ("3人～5人が参加する。", [("3人～5人", 3, 5, "person", "range")]),
    ("参加人数100人を見込む。", [("100人", 100, None, "person", "exact")]),
]

# a date counter in a range or before a span word (で, かけて, 前, 後) is a duration when the second number is one
SPANS = [
    ("修理は1～2日で終わる見込みだ。", [("1～2日", 1, 2, "day_duration", "range")]),
    ("調整には4～5日かけて臨む。", [("4～5日", 4, 5, "day_duration", "range")]),
    ("回復まで約2～3日で済む。", [("約2～3日", 2, 3, "day_duration", "approx")]),
    ("準備は3日から4日かけて進めた。", [("3日から4日", 3, 4, "day_duration", "range")]),
    ("協定は2～3年前から協議されていた。", [("2～3年", 2, 3, "year_duration", "range")]),
    ("輸出はわずか1年で倍増した。", [("1年", 1, None, "year_duration", "exact")]),
    ("同国は4年前に条約を批准し、6年後に見直す。",
     [("4年", 4, None, "year_duration", "exact"), ("6年", 6, None, "year_duration", "exact")]),
    ("首脳は発表の5日前に合意した。", [("5日", 5, None, "day_duration", "exact")]),
    # negatives: dates before で, a date range, a date then a comma, era years, half-years, 年度
    ("協定は本年6月30日で失効した。", []),
    ("同月7～9日に来日した。", []),
    ("同月14日から16日にかけて訪問した。", []),
    ("会合は25日で、約40分間続いた。", [("約40分間", 40, None, "minute_duration", "approx")]),
    ("提出期限は8日である。", []),
    ("令和3年で終了し、平成元年から5年にかけて増えた。", []),
    ("2019年から21年にかけて減少した。", []),
    ("2023年前半と4年度で比べた。", []),
    ("2017（平成29）年と18（同30）年に42人。", [("42人", 42, None, "person", "exact")]),
]

# GiNZA's counting entities where no rule fires (counters the data file does not list); never kanji terms,
# compounds, ordinals or list markers
ENTITIES = [
    ("査察団は3空港と2港湾を訪れた。", [("3空港", 3, None, "", "exact"), ("2港湾", 2, None, "", "exact")]),
    ("使節団は約40都市と5病院を訪れた。", [("約40都市", 40, None, "", "approx"), ("5病院", 5, None, "", "exact")]),
    ("四天王と五大国、陸海空の三軍、一国二制度。", []),
    ("日米の2国間協議を開いた。", []),
    ("首脳は2度目の会談に臨んだ。", []),
    ("射程は①5,500km以上、②核弾頭の小型化。", [("5,500km以上", 5500, None, "kilometer", "at_least")]),
]

CASES = KANJI_AND_MIXED + COUNTERS_AND_UNITS + DURATIONS + SPANS + MEASURES_AND_SIGNS + QUALIFIERS + ENTITIES


def _rows(nlp, text):
    doc = nlp(text)
    return [(doc.text[q.start:q.end], q.value, q.value_max, q.unit, q.qualifier)
            for q in (sp._.quantity for sp in doc.spans["quantities"])]


@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:20] for c in CASES])
def test_kinds(nlp, text, expected):
    assert _rows(nlp, text) == expected


def test_offsets_are_exact_on_full_width_text(nlp):
    """Full-width digits stay in the text: the surface is the exact slice at the stored offsets."""
    text = "予算は　約４５・８兆円　であり、２０２０　１５人。"
    doc = nlp(text)
    for sp in doc.spans["quantities"]:
        q = sp._.quantity
        assert text[q.start:q.end] == doc.text[q.start:q.end]
    assert [text[q.start:q.end] for q in (s._.quantity for s in doc.spans["quantities"])] == ["約４５・８兆円", "１５人"]


def test_entities_are_only_a_fallback(nlp, finder):
    """Without GiNZA's entities (PIPELINE_NER=0) the counts they add are absent; the rules' results stay."""
    doc = nlp("査察団は3大学を訪れ、5人が同行した。")
    doc.ents = []
    assert [(q.value, q.unit) for q in finder.find(doc)] == [(5, "person")]


@pytest.mark.parametrize("text", ["主要5分野で協力を進める。", "3分野で協力する。", "核出力は10キロトン級とされる。"])
def test_a_unit_ends_where_a_token_ends(nlp, text):
    """分 of 分野 is not a minute, キロ of キロトン not a kilometre (whether GiNZA's entities add the count or not)."""
    assert {r[3] for r in _rows(nlp, text)} <= {"", "kiloton"}
