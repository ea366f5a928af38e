"""Turkish: talks outcomes and clashes as Turkish-language news reports them.

Matched on whole words, with the suffixes Turkish attaches given as ``\\w*`` (an apostrophe
may part a name from its suffix: "Goma'yı"). Turkish negates a verb inside it
("çöktü"/"çökmedi", "imzaladı"/"imzalamadı"), so verbs are given with their positive
endings, never a bare stem that would also match the negative; "değil", "yok" and the
negative auxiliaries ("olmadı", "etmedi") follow what they negate. Case folding turns a
capital I into a dotted i ("SALDIRI" into "saldiri"), so the patterns accept both i's where
a dotless ı stands (``_tr``).
"""

from __future__ import annotations

from crawler.analysis.events.casualty_vocabulary import CasualtyTable
from crawler.analysis.events.ontology import Group, Table, group


def _tr(*patterns: str) -> tuple[str, ...]:
    """Patterns that accept a dotted i where Turkish writes a dotless ı (folded capitals)."""
    return tuple(p.replace("ı", "[ıi]") for p in patterns)


def _group(plover: str, cameo: str, *patterns: str) -> Group:
    return group(plover, cameo, *_tr(*patterns))


_ACCORD = r"(anlaşma\w*|antlaşma\w*|mutabakat\w*|protokol\w*|bildirge\w*|deklarasyon\w*|yol harita\w*)"
_TRUCE = r"(ateşkes\w*|ateş kes\w*|mütareke\w*)"
_TALKS = r"(müzakere\w*|görüşme\w*|barış süreci\w*|arabuluculuk\w*|diyalog\w*|masa\w*)"
_GAP = r"([\w'’-]+ ){0,3}"

OUTCOME: Table = {
    "collapsed": [
        _group(
            "REJECT",
            "164",
            rf"{_TALKS} {_GAP}(çöktü\w*|çökmüştü|başarısız oldu|başarısızlıkla sonuçlandı|kesildi|koptu|dağıldı)",
            rf"{_TALKS} {_GAP}([\w'’-]+ )?(sonuç alınamadan )?sona erdi\b",
        ),
        _group(
            "SANCTION",
            "164",
            rf"{_TALKS} {_GAP}(askıya aldı\w*|askıya alındı\w*|durdurdu\w*|dondurdu\w*|sonlandırdı\w*|bitirdi\w*)",
            rf"{_TALKS}(dan|den|tan|ten) ([\w'’-]+ )?(çekildi\w*|çekilme kararı|ayrıldı\w*)",
            r"masadan (kalktı\w*|ayrıldı\w*)",
            # Called off, as English "called off".
            rf"({_TALKS}|toplantı\w*|zirve\w*) {_GAP}(iptal edildi\w*|iptal etti\w*)",
        ),
        _group(
            "SANCTION",
            "160",
            rf"{_ACCORD} {_GAP}(askıya aldı\w*|askıya alındı\w*|feshetti\w*|feshedildi\w*|iptal etti\w*|iptal edildi\w*|"
            r"tanımadığını|yırttı\w*)",
            rf"{_ACCORD}(dan|den|tan|ten) ([\w'’-]+ )?çekildi\w*",
        ),
    ],
    "no_agreement": [
        _group(
            "REJECT",
            "125",
            r"(anlaşma|uzlaşı|uzlaşma|mutabakat|sonuç|ilerleme) ([\w'’-]+ )?(sağlanamadı|sağlanamadan|çıkmadı|elde edilemedi|"
            r"varılamadı|varılamadan)",
            r"(anlaşmaya|uzlaşıya|mutabakata) ([\w'’-]+ )?varılamadı\w*",
            r"(anlaşamadı\w*|anlaşamadan|uzlaşamadı\w*|uzlaşamadan)",
            r"(sonuçsuz|çıkmaza girdi\w*|çıkmazda|tıkandı\w*|kilitlendi\w*)",
            r"(süre|son tarih|ültimatom)\w* ([\w'’-]+ ){0,2}(doldu|geçti|sona erdi)",
        ),
        _group(
            "REJECT",
            "120",
            rf"({_TRUCE}|teklif\w*|öneri\w*|plan\w*|girişim\w*|{_ACCORD}) {_GAP}(reddetti\w*|reddedildi\w*|geri çevirdi\w*)",
        ),
    ],
    "ceasefire_extended": [
        _group(
            "CONCEDE",
            "0871",
            rf"{_TRUCE} {_GAP}([\w'’-]+ )?(uzatıldı\w*|uzattı\w*|uzatılması|uzatma kararı|uzatmak|korunacak|sürdürülecek|"
            r"devam edecek|sürecek)",
            rf"{_TRUCE} {_GAP}(bağlı kal\w*|bağlılık\w*)",
        ),
    ],
    "next_round_set": [
        _group(
            "AGREE",
            "036",
            r"(yeni|bir sonraki|sonraki|gelecek|ikinci|üçüncü|dördüncü) (tur|görüşme|toplantı|oturum)\w* ([\w'’-]+ ){0,3}"
            r"(yapılacak|düzenlenecek|gerçekleşecek|gerçekleştirilecek|planlandı|planlanıyor)",
            r"(yeniden|tekrar) (bir araya gelecek\w*|görüşecek\w*|toplanacak\w*)",
            rf"{_TALKS} (sürdürme\w*|devam etme\w*) ([\w'’-]+ )?(konusunda )?(anlaştı\w*|uzlaştı\w*|karar\w*)",
        ),
    ],
    "agreement": [
        _group(
            "AGREE",
            "030",
            r"(anlaştı\w*|anlaşmaya vardı\w*|anlaşmaya varıldı\w*|uzlaştı\w*|uzlaşıya vardı\w*|mutabık kaldı\w*|"
            r"anlaşma sağlandı\w*|uzlaşı sağlandı\w*|karar verdi\w*)",
        ),
        _group(
            "AGREE",
            "0356",
            r"(tırmanma\w*|gerginliğ\w*|gerilim\w*|provokasyon\w*) ([\w'’-]+ ){0,2}(önleme\w*|azaltma\w*|düşürme\w*|"
            r"kaçınma\w*)",
        ),
        _group(
            "SUPPORT",
            "057",
            rf"({_ACCORD}|{_TRUCE}) {_GAP}(imzaladı\w*|imzalandı\w*|imzalanan|imzaladığı\w*|onayladı\w*|onaylandı\w*|"
            r"parafladı\w*|kabul etti\w*|memnuniyetle karşıladı\w*)",
            rf"({_TRUCE}|teklif\w*|öneri\w*|plan\w*) {_GAP}kabul etti\w*",
            r"(esir|rehine|tutsak)\w* (takası|değişimi) ([\w'’-]+ ){0,2}(anlaştı\w*|konusunda anlaş\w*)",
        ),
        _group(
            "CONCEDE",
            "0871",
            rf"{_TRUCE} ([\w'’-]+ )?(ilan etti\w*|ilan edildi\w*|yürürlüğe girdi\w*|başladı)",
            rf"tek taraflı {_TRUCE}",
            r"(çatışmaları|saldırıları|askeri operasyonları) (durdurdu\w*|durdurma kararı\w*)",
        ),
        _group(
            "CONSULT",
            "046",
            r"(ortak bildiri\w*|ortak açıklama\w*|sonuç bildirgesi\w*) ([\w'’-]+ ){0,6}(öngörüyor|sıralandı|yer aldı)",
            r"(somut|önemli|olumlu) (ilerleme|adım)\w* (kaydedildi\w*|atıldı\w*)",
        ),
    ],
}

CLASH: Table = {
    "ceasefire_violation": [
        _group(
            "ASSAULT",
            "196",
            rf"{_TRUCE} {_GAP}(ihlal\w*|çiğne\w*|bozdu\w*|bozuldu\w*)",
            rf"{_TRUCE}\w* (rağmen|karşın)",
        ),
    ],
    "air_strike": [
        _group(
            "ASSAULT:aerial",
            "195",
            r"(hava saldırı\w*|hava harekat\w*|hava harekâtı\w*|hava bombardıman\w*|bombaladı\w*|bombalandı\w*)",
            r"(savaş uçakları|uçaklar|helikopterler)\w* ([\w'’-]+ ){0,3}(vurdu\w*|bombaladı\w*|saldırdı\w*)",
            r"hava saha\w* ([\w'’-]+ )?ihlal\w*",
        ),
        _group(
            "ASSAULT:drone",
            "1952",
            r"(iha|siha|dron|drone|insansız hava aracı)\w* ([\w'’-]+ ){0,2}(saldırı\w*|vurdu\w*|bombaladı\w*|düştü\w*|isabet\w*)",
            r"(iha|siha|dron|drone|insansız hava araçları)\w*yla ([\w'’-]+ ){0,3}(saldırdı\w*|vurdu\w*|vuruldu\w*)",
        ),
        _group(
            "ASSAULT:missile",
            "195",
            r"(füze|roket|balistik füze)\w* saldırı\w*",
            r"(füze|roket)\w* ([\w'’-]+ ){0,3}(fırlattı\w*|fırlatıldı\w*|ateşledi\w*|atıldı\w*|düştü\w*|isabet etti\w*|vurdu\w*)",
        ),
    ],
    "cross_border_attack": [
        _group(
            "ASSAULT",
            "190",
            r"sınır ötesi (saldırı|harekat|harekât|operasyon|baskın)\w*",
            r"(sızma\w*|sızdı\w*|sızan)",
            r"sınır\w* ([\w'’-]+ ){0,2}(geçti\w*|geçen|aştı\w*)",
        ),
        _group("ASSAULT", "202", r"(katliam\w*|toplu infaz\w*)"),
    ],
    "border_clash": [
        _group(
            "ASSAULT:firearms",
            "190",
            r"(çatışma\w*|çatıştı\w*|sıcak temas\w*|silahlı saldırı\w*|karşılıklı ateş\w*|ateş açtı\w*|ateş açıldı\w*)",
            r"(mevzi|karakol|üs|üssü|kışla)\w* ([\w'’-]+ ){0,2}(saldırdı\w*|saldırı düzenlendi\w*|hedef alındı\w*|vurdu\w*)",
        ),
        _group(
            "ASSAULT:heavy-weapons",
            "194",
            r"(topçu ateşi\w*|top ateşi\w*|topçu saldırı\w*|havan\w* (saldırı|atış|ateşi)\w*|bombardıman\w*|"
            r"obüs\w*|top atışı\w*)",
        ),
        _group(
            "ASSAULT:explosives",
            "1833",
            r"(mayın|el yapımı patlayıcı|eyp|bomba)\w* ([\w'’-]+ ){0,2}(patladı\w*|infilak etti\w*)",
            r"(mayına|patlayıcıya) bastı\w*",
        ),
        _group(
            "ASSAULT:occupy",
            "197",
            r"(kenti|şehri|kasabayı|köyü|havalimanını|üssü|tepeyi|mevziyi|bölgeyi) ([\w'’-]+ ){0,1}(ele geçirdi\w*|"
            r"kontrolüne aldı\w*|kontrol altına aldı\w*)",
            r"kontrolüne geçti\w*",
        ),
    ],
}

TALKS = list(
    _tr(
        r"müzakere\w*",
        r"görüşme\w*",
        r"diyalog\w*",
        r"(tur|turu|turda|turunda|turun)",
        r"heyet\w*",
        r"arabulucu\w*",
        r"toplantı\w*",
        r"zirve\w*",
        r"barış süreci\w*",
        r"ateşkes\w*",
        r"anlaşma\w*",
        r"mutabakat\w*",
        r"bildiri\w*",
        r"(ortak komisyon|komisyon|komite|çalışma grubu)\w*",
    )
)
FORCE = list(
    _tr(
        r"(öldü\w*|öldürüldü\w*|ölü\w*|hayatını kaybetti\w*|can verdi\w*|şehit\w*)",
        r"(yaralandı\w*|yaralı\w*|yaraladı\w*)",
        r"(hasar\w*|yıkıldı\w*|yıktı\w*|tahrip\w*)",
        r"(saldırı\w*|saldırdı\w*|ateş\w*|vurdu\w*|vuruldu\w*|hedef aldı\w*)",
        r"(patlama\w*|düşürüldü\w*|önlendi\w*|püskürtüldü\w*)",
        r"(şiddetli|yoğun)",
        r"(kaçtı\w*|tahliye\w*)",
        r"(yangın\w*)",
    )
)
HYPOTHETICAL = list(
    _tr(
        r"eğer",
        r"(olabilir|edebilir|yapabilir|vurabilir|saldırabilir)\w*",
        r"tehdit\w*",
        r"(uyardı\w*|uyarı\w*)",
        r"(korku\w*|endişe\w*)",
        r"(umut\w*|umuyor\w*)",
        r"(bekleniyor|beklenen|bekliyor)",
        # The future tense ("-ecek", "-acak") is a plan: only what happened counts.
        r"\w+(ecek|acak|eceğ|acağ)\w*",
        r"(hazır\w*)",
        r"(çağrı\w*|çağırdı\w*)",
        r"(planlı|planlanan|planlıyor\w*)",
        r"(olası|muhtemel)",
        # A denial reports no event either.
        r"(yalanladı\w*|doğru değil\w*|doğru olmadığı\w*)",
    )
)
RECAP = list(
    _tr(
        r"geçen (ay|hafta|yıl)\w*",
        r"([\w'’-]+ )?(gün|hafta|ay|yıl) önce",
        r"(yıl|ay)(lık|dır) (savaş|çatışma)\w*",
        r"yıldönümü\w*",
        r"hatırlat\w*",
        r"kronoloji\w*",
    )
)
PREVIEW = list(
    _tr(
        r"(başladı\w*|başlıyor\w*|başlayan)",
        r"(ulaştı\w*|geldi\w*) ",
        r"(ikinci|üçüncü|son) gün\w*",
        r"arifesinde",
        r"(devam ediyor\w*|sürüyor\w*)",
    )
)
# Negation: Turkish negates inside the verb, so the verbs above are given in their positive
# forms; "hiçbir" stands before a noun, "değil", "yok" and negative auxiliaries after it.
NEGATION_BEFORE = [r"\bhiçbir"]
NEGATION_AFTER = list(_tr(r"değil\w*", r"yok", r"olmadı\w*", r"yaşanmadı\w*", r"edilmedi\w*", r"etmedi\w*"))
CONCESSIVE = [r"\brağmen", r"\bkarşın"]
CAPTURE_AFTER = list(_tr(r"ele geçir(di|ildi)\w*", r"kontrolüne (aldı|geçti)\w*", r"düştü"))
# A strike told as a repeat (identity: another strike on a place struck before).
REPEAT = [r"\byeniden\b", r"\btekrar\b", r"\bbir kez daha\b", r"\bikinci kez\b"]

# Both sides firing (an exchange across a line, a reply to the other's fire): event identity
# reads it on the headline and lede (each side tells one exchange from its own sectors).
EXCHANGE = [
    r"\bkarşılıklı ateş\w*",
    r"\bkarşılık verdi\b",
    r"\bmisliyle karşılık\b",
]

# Casualty figures (crawler.analysis.events.fields.casualties): "12 asker şehit oldu",
# "12 sivil yaralandı". The verb ends the clause; case folding may turn ı into i (``[ıi]``).
CASUALTY = CasualtyTable(
    forces=r"asker\w*|polis\w*|güvenlik güçler[ıi]\w*|güvenlik görevl[ıi]s[ıi]\w*|jandarma\w*|"
    r"sınır muhafız\w*|s[ıi]n[ıi]r muhaf[ıi]z\w*|personel\w*",
    civilians=r"sivil\w*|kişi\w*|k[ıi]ş[ıi]\w*|insan\w*|çocuk\w*|kadın\w*|kad[ıi]n\w*|köylü\w*|vatandaş\w*",
    militants=r"terörist\w*|militan\w*|cihatçı\w*|cihatç[ıi]\w*|isyancı\w*|isyanc[ıi]\w*|savaşçı\w*|savaşç[ıi]\w*|"
    r"saldırgan\w*|sald[ıi]rgan\w*|silahl[ıi]\w*",
    killed=r"şehit|öldü\w*|öldürüldü\w*|hayat[ıi]n[ıi] kaybett[ıi]\w*|can verd[ıi]\w*|"
    r"etk[ıi]s[ıi]z hale get[ıi]r[ıi]ld[ıi]\w*",
    injured=r"yaraland[ıi]\w*|yaral[ıi]\w*",
    killing="",
    injuring="",
    numbers={
        "bir": 1,
        "iki": 2,
        "üç": 3,
        "dört": 4,
        "beş": 5,
        "altı": 6,
        "alti": 6,
        "yedi": 7,
        "sekiz": 8,
        "dokuz": 9,
        "on": 10,
        "on bir": 11,
        "on iki": 12,
        "on beş": 15,
        "yirmi": 20,
        "onlarca": 24,
        "yüzlerce": 200,
    },
    at_least=r"en az|en azından|yaklaşık",
    negation=r"hiç|hiçbir|kimse",
)
