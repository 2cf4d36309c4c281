// The word lists behind token classification: legal forms, canonical forms of
// common abbreviations, stop words and name particles, and legal forms in
// Chinese, Japanese and Korean script.
//
// Decisions kept here:
// - "group" and "holding(s)" are not legal forms. They are ordinary words
//   (canon "group" / "holding") that the index down-weights by their rarity.
//   The pinyin "jituan" (集团) is treated the same way.
// - Short forms that are also common words or name parts ("as", "sa", "ag",
//   "spa" ...) count as legal forms only within the trailing run of legal
//   forms and stop words of a name ("Foo AG & Co. KG"); a few that are written
//   first ("ao", "pt", "tov") also count as the first token. Longer,
//   unambiguous forms count anywhere.
// - Multi-word forms ("limited liability company", the Russian and Chinese
//   romanised forms) count anywhere; each slot may list spelling variants.
#include <algorithm>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/strings.h"
#include "text/internal/lexicon.h"
#include "text/normalize.h"

namespace icts::text {
namespace internal {
namespace {

struct WordEntry {
  std::string_view word;
  std::string_view canon;
  uint8_t flags;
};

constexpr uint8_t kAny = kLegalAnywhere;
constexpr uint8_t kEdge = kLegalAtStart | kLegalAtEnd;
constexpr uint8_t kEnd = kLegalAtEnd;

// Single-word legal forms. Canonical forms are given where two spellings of
// one form are common in the lists.
constexpr WordEntry kLegalWords[] = {
    // English-speaking jurisdictions.
    {"co", "company", kAny},
    {"cos", "company", kAny},
    {"company", "", kAny},
    {"companies", "company", kAny},
    {"corp", "corporation", kAny},
    {"corporation", "", kAny},
    {"inc", "incorporated", kAny},
    {"incorporated", "", kAny},
    {"ltd", "limited", kAny},
    {"limited", "", kAny},
    {"llc", "", kAny},
    {"llp", "", kAny},
    {"lllp", "", kAny},
    {"plc", "", kAny},
    {"pllc", "", kAny},
    {"lp", "", kEnd},
    {"na", "", kEnd},
    {"pte", "", kAny},
    {"pty", "", kAny},
    {"pvt", "", kAny},
    {"jv", "", kEdge},
    // German, Austrian, Swiss, Dutch, Belgian.
    {"gmbh", "", kAny},
    {"mbh", "", kAny},
    {"ag", "", kEnd},
    {"kg", "", kEnd},
    {"kgaa", "", kAny},
    {"ohg", "", kAny},
    {"ug", "", kEnd},
    {"ev", "", kEnd},
    {"se", "", kEnd},
    {"aktiengesellschaft", "", kAny},
    {"kommanditgesellschaft", "", kAny},
    {"bv", "", kEnd},
    {"nv", "", kEnd},
    {"bvba", "", kAny},
    {"vof", "", kEnd},
    // French, Spanish, Portuguese, Italian, Latin America.
    {"sa", "", kEnd},
    {"sas", "", kEnd},
    {"sasu", "", kAny},
    {"sarl", "", kAny},
    {"eurl", "", kAny},
    {"snc", "", kEnd},
    {"sca", "", kEnd},
    {"sl", "", kEnd},
    {"slu", "", kAny},
    {"sac", "", kEnd},
    {"saic", "", kEnd},
    {"sae", "", kEnd},
    {"srl", "", kAny},
    {"srls", "", kAny},
    {"spa", "", kEnd},
    {"sapa", "", kEnd},
    {"ltda", "", kAny},
    {"lda", "", kEnd},
    {"cv", "", kEdge},
    {"eirl", "", kAny},
    // Nordic and Baltic.
    {"ab", "", kEnd},
    {"publ", "", kEnd},
    {"as", "", kEnd},
    {"asa", "", kEnd},
    {"aps", "", kEnd},
    {"oy", "", kEnd},
    {"oyj", "", kAny},
    {"aktiebolag", "", kAny},
    {"aktieselskab", "", kAny},
    {"aksjeselskap", "", kAny},
    {"osakeyhtio", "", kAny},
    // Central and Eastern Europe, Balkans, Turkey.
    {"sro", "", kAny},
    {"kft", "", kAny},
    {"zrt", "", kAny},
    {"nyrt", "", kAny},
    {"rt", "", kEnd},
    {"doo", "", kAny},
    {"dooel", "", kAny},
    {"ad", "", kEnd},
    {"dd", "", kEnd},
    {"ood", "", kAny},
    {"eood", "", kAny},
    {"ead", "", kEnd},
    {"sti", "", kEnd},
    // Greece (ΑΕ, ΕΠΕ, ΙΚΕ romanised).
    {"ae", "", kEnd},
    {"epe", "", kEnd},
    {"ike", "", kEnd},
    {"sirketi", "", kAny},
    // Russia and the former Soviet Union (romanised abbreviations).
    {"ooo", "", kAny},
    {"oao", "", kAny},
    {"zao", "", kAny},
    {"pao", "", kAny},
    // "Gosudarstvennaya korporatsiya" is Russia's State Corporation (Rostec,
    // Rosatom); the word alone reads as "corporation".
    {"korporatsiya", "corporation", kAny},
    {"korporatsii", "corporation", kAny},
    {"korporacia", "corporation", kAny},
    {"ao", "", kEdge},
    {"nao", "", kEdge},
    {"jsc", "", kAny},
    {"ojsc", "", kAny},
    {"cjsc", "", kAny},
    {"pjsc", "", kAny},
    {"tov", "", kEdge},
    {"fgup", "", kAny},
    {"gup", "", kEdge},
    {"mup", "", kEdge},
    // Gulf states, Middle East (including romanised "company").
    {"fzco", "", kAny},
    {"fze", "", kAny},
    {"fzc", "", kAny},
    {"fzllc", "", kAny},
    {"wll", "", kAny},
    {"spc", "", kEnd},
    {"saoc", "", kAny},
    {"saog", "", kAny},
    {"bsc", "", kEnd},
    {"qsc", "", kEnd},
    {"qpsc", "", kAny},
    {"ksc", "", kEnd},
    {"kscp", "", kAny},
    {"psc", "", kEnd},
    {"sherkat", "", kAny},
    {"sherkate", "", kAny},
    {"shrkt", "", kAny},
    {"sharikat", "", kAny},
    {"sharika", "", kAny},
    {"sharikah", "", kAny},
    {"shirkat", "", kAny},
    // Asia.
    {"bhd", "", kAny},
    {"berhad", "bhd", kAny},
    {"sdn", "", kAny},
    {"tbk", "", kAny},
    {"pt", "", kEdge},
    {"kk", "", kEdge},
    {"gongsi", "", kAny},
    {"kaisha", "", kAny},
    {"gaisha", "", kAny},
    {"kabushikigaisha", "", kAny},
    {"kabushikikaisha", "", kAny},
    {"hoesa", "", kAny},
    {"jusikhoesa", "", kAny},
    {"tnhh", "", kAny},
};

// Canonical forms of words that are not legal forms.
constexpr WordEntry kCanonWords[] = {
    {"tech", "", 0},
    {"techn", "tech", 0},
    {"technol", "tech", 0},
    {"technology", "tech", 0},
    {"technologies", "tech", 0},
    {"technological", "tech", 0},
    {"keji", "tech", 0},
    {"jishu", "tech", 0},
    {"comm", "", 0},
    {"comms", "comm", 0},
    {"communication", "comm", 0},
    {"communications", "comm", 0},
    {"tongxin", "comm", 0},
    {"telecom", "", 0},
    {"telecoms", "telecom", 0},
    {"telecomm", "telecom", 0},
    {"telecommunication", "telecom", 0},
    {"telecommunications", "telecom", 0},
    {"grp", "group", 0},
    {"group", "", 0},
    {"groupe", "group", 0},
    {"gruppe", "group", 0},
    {"grupo", "group", 0},
    {"gruppo", "group", 0},
    {"jituan", "group", 0},
    {"intl", "international", 0},
    {"international", "", 0},
    {"mfg", "manufacturing", 0},
    {"manufacturing", "", 0},
    {"elec", "electronics", 0},
    {"electronic", "electronics", 0},
    {"electronics", "", 0},
    {"dianzi", "electronics", 0},
    {"eng", "engineering", 0},
    {"engg", "engineering", 0},
    {"engineering", "", 0},
    {"sys", "system", 0},
    {"system", "", 0},
    {"systems", "system", 0},
    {"ind", "industry", 0},
    {"indus", "industry", 0},
    {"industry", "", 0},
    {"industries", "industry", 0},
    {"industrial", "industry", 0},
    {"dev", "development", 0},
    {"devel", "development", 0},
    {"development", "", 0},
    {"natl", "national", 0},
    {"national", "", 0},
    {"assn", "association", 0},
    {"assoc", "association", 0},
    {"association", "", 0},
    {"univ", "university", 0},
    {"university", "", 0},
    {"inst", "institute", 0},
    {"institute", "", 0},
    {"sci", "science", 0},
    {"science", "", 0},
    {"sciences", "science", 0},
    {"scientific", "science", 0},
    {"equip", "equipment", 0},
    {"eqpt", "equipment", 0},
    {"equipment", "", 0},
    {"svc", "service", 0},
    {"svcs", "service", 0},
    {"serv", "service", 0},
    {"service", "", 0},
    {"services", "service", 0},
    {"hldg", "holding", 0},
    {"hldgs", "holding", 0},
    {"holding", "", 0},
    {"holdings", "holding", 0},
    {"konggu", "holding", 0},
    {"mach", "machinery", 0},
    {"machine", "machinery", 0},
    {"machines", "machinery", 0},
    {"machinery", "", 0},
    {"chem", "chemical", 0},
    {"chemical", "", 0},
    {"chemicals", "chemical", 0},
    {"petrochem", "petrochemical", 0},
    {"petrochemical", "", 0},
    {"petrochemicals", "petrochemical", 0},
    {"pharm", "pharma", 0},
    {"pharma", "", 0},
    {"pharmaceutical", "pharma", 0},
    {"pharmaceuticals", "pharma", 0},
    {"ent", "enterprise", 0},
    {"enterprise", "", 0},
    {"enterprises", "enterprise", 0},
    {"trdg", "trading", 0},
    {"trading", "", 0},
    {"shpg", "shipping", 0},
    {"shipping", "", 0},
    {"mgmt", "management", 0},
    {"mgt", "management", 0},
    {"management", "", 0},
    {"mktg", "marketing", 0},
    {"marketing", "", 0},
    {"lab", "laboratory", 0},
    {"labs", "laboratory", 0},
    {"laboratory", "", 0},
    {"laboratories", "laboratory", 0},
    {"rsch", "research", 0},
    {"research", "", 0},
    {"ctr", "center", 0},
    {"cntr", "center", 0},
    {"center", "", 0},
    {"centre", "center", 0},
    {"fdn", "foundation", 0},
    {"foundation", "", 0},
    {"coop", "cooperative", 0},
    {"cooperative", "", 0},
    {"dept", "department", 0},
    {"department", "", 0},
    {"govt", "government", 0},
    {"government", "", 0},
    {"bros", "brothers", 0},
    {"brothers", "", 0},
    {"invest", "investment", 0},
    {"investment", "", 0},
    {"investments", "investment", 0},
    {"prod", "product", 0},
    {"prods", "product", 0},
    {"product", "", 0},
    {"products", "product", 0},
    {"instr", "instrument", 0},
    {"instrument", "", 0},
    {"instruments", "instrument", 0},
    {"transp", "transport", 0},
    {"transport", "", 0},
    {"transportation", "transport", 0},
    {"navig", "navigation", 0},
    {"navigation", "", 0},
    {"solution", "", 0},
    {"solutions", "solution", 0},
    {"matl", "material", 0},
    {"material", "", 0},
    {"materials", "material", 0},
    {"metal", "", 0},
    {"metals", "metal", 0},
    {"constr", "construction", 0},
    {"construction", "", 0},
    {"consult", "consulting", 0},
    {"consulting", "", 0},
    {"consultants", "consulting", 0},
    {"consultancy", "consulting", 0},
    {"ptnrs", "partner", 0},
    {"partner", "", 0},
    {"partners", "partner", 0},
    {"agcy", "agency", 0},
    {"agency", "", 0},
    {"acad", "academy", 0},
    {"academy", "", 0},
    {"genl", "general", 0},
    {"general", "", 0},
    {"import", "", 0},
    {"imports", "import", 0},
    {"export", "", 0},
    {"exports", "export", 0},
    // Words of company names that Chinese names write with the terms of
    // kCjkTerms below: the English word, its variants, and the pinyin the
    // term is romanised to, all with one canonical form.
    {"information", "", 0},
    {"info", "information", 0},
    {"xinxi", "information", 0},
    {"zixun", "information", 0},
    {"chanye", "industry", 0},
    {"gongye", "industry", 0},
    {"shiye", "industry", 0},
    {"smart", "", 0},
    {"intelligent", "smart", 0},
    {"intelligence", "smart", 0},
    {"zhineng", "smart", 0},
    {"network", "", 0},
    {"networks", "network", 0},
    {"networking", "network", 0},
    {"wangluo", "network", 0},
    {"tongxun", "comm", 0},
    {"dianxin", "telecom", 0},
    {"microelectronics", "", 0},
    {"microelectronic", "microelectronics", 0},
    {"weidianzi", "microelectronics", 0},
    {"semiconductor", "", 0},
    {"semiconductors", "semiconductor", 0},
    {"bandaoti", "semiconductor", 0},
    {"memory", "", 0},
    {"cunchu", "memory", 0},
    {"computing", "", 0},
    {"jisuan", "computing", 0},
    {"touzi", "investment", 0},
    {"guoji", "international", 0},
    {"haiyun", "shipping", 0},
    {"chuanwu", "shipping", 0},
    {"hangyun", "shipping", 0},
    {"digital", "", 0},
    {"shuma", "digital", 0},
    {"shuzi", "digital", 0},
    {"innovation", "", 0},
    {"innovations", "innovation", 0},
    {"innovative", "innovation", 0},
    {"chuangxin", "innovation", 0},
    {"software", "", 0},
    {"ruanjian", "software", 0},
    {"shebei", "equipment", 0},
    {"xitong", "system", 0},
    {"security", "", 0},
    {"anquan", "security", 0},
    {"daxue", "university", 0},
    {"bank", "", 0},
    {"banking", "bank", 0},
    {"yinhang", "bank", 0},
    {"trade", "trading", 0},
    {"maoyi", "trading", 0},
    {"aviation", "", 0},
    {"hangkong", "aviation", 0},
    {"aerospace", "", 0},
    {"hangtian", "aerospace", 0},
    {"energy", "", 0},
    {"nengyuan", "energy", 0},
    {"petroleum", "", 0},
    {"shiyou", "petroleum", 0},
    {"huagong", "chemical", 0},
    {"power", "", 0},
    {"dianli", "power", 0},
    {"electric", "", 0},
    {"electrical", "electric", 0},
    {"dianqi", "electric", 0},
    {"jixie", "machinery", 0},
    {"zhizao", "manufacturing", 0},
    {"optoelectronics", "", 0},
    {"optoelectronic", "optoelectronics", 0},
    {"guangdian", "optoelectronics", 0},
    {"mobile", "", 0},
    {"yidong", "mobile", 0},
    {"unicom", "", 0},
    {"liantong", "unicom", 0},
    {"vision", "", 0},
    {"shijue", "vision", 0},
    {"kexue", "science", 0},
    {"fazhan", "development", 0},
    {"logistics", "", 0},
    {"wuliu", "logistics", 0},
    {"yanjiu", "research", 0},
    {"china", "", 0},
    {"zhongguo", "china", 0},
    {"hongkong", "", 0},
    {"xianggang", "hongkong", 0},
    {"macau", "", 0},
    {"macao", "macau", 0},
    {"aomen", "macau", 0},
    // Adjectives of countries read as the country: "Iranian Export
    // Development Bank" is the "Export Development Bank of Iran", and the
    // edit distance of "iran" / "iranian" is too large to pair them.
    {"chinese", "china", 0},
    {"iran", "", 0},
    {"iranian", "iran", 0},
    {"russia", "", 0},
    {"russian", "russia", 0},
    {"korea", "", 0},
    {"korean", "korea", 0},
    {"cuba", "", 0},
    {"cuban", "cuba", 0},
    {"venezuela", "", 0},
    {"venezuelan", "venezuela", 0},
    {"syria", "", 0},
    {"syrian", "syria", 0},
    {"iraq", "", 0},
    {"iraqi", "iraq", 0},
    {"belarus", "", 0},
    {"belarusian", "belarus", 0},
    {"afghanistan", "", 0},
    {"afghan", "afghanistan", 0},
    {"pakistan", "", 0},
    {"pakistani", "pakistan", 0},
    {"lebanon", "", 0},
    {"lebanese", "lebanon", 0},
    {"yemen", "", 0},
    {"yemeni", "yemen", 0},
    {"libya", "", 0},
    {"libyan", "libya", 0},
    {"sudan", "", 0},
    {"sudanese", "sudan", 0},
    // Russian company words as BGN/PCGN romanises them (the normaliser's
    // form for Cyrillic), where English names of the same companies
    // translate them and spelling similarity alone does not reach.
    {"laboratoriya", "laboratory", 0},
    {"laboratorii", "laboratory", 0},
    {"tekhnologii", "tech", 0},
    {"tekhnologiya", "tech", 0},
    {"teknolodzhiz", "tech", 0},
    {"tekhnolodzhiz", "tech", 0},
    {"mobayl", "mobile", 0},
    {"state", "", 0},
    {"gosudarstvennaya", "state", 0},
    {"gosudarstvennyy", "state", 0},
    {"gruppa", "group", 0},
    {"kholding", "holding", 0},
    {"tsentr", "center", 0},
    {"mezhdunarodnyy", "international", 0},
    {"mezhdunarodnaya", "international", 0},
    {"svyaz", "comm", 0},
    {"doktor", "doctor", 0},
    {"doctor", "", 0},
    {"telekom", "telecom", 0},
    {"telekommunikatsii", "telecom", 0},
    {"natsionalnyy", "national", 0},
    {"natsionalnaya", "national", 0},
    {"promyshlennyy", "industry", 0},
    {"promyshlennaya", "industry", 0},
    {"torgovyy", "trading", 0},
    {"torgovaya", "trading", 0},
    {"strakhovaya", "insurance", 0},
    {"investitsionnaya", "investment", 0},
    // The same words in Spanish, Portuguese, French, Italian and German
    // names ("BANCO NACIONAL DE CUBA" is the "NATIONAL BANK OF CUBA"), and in
    // romanised Persian ("Bank Markazi" is the Central Bank, "Sanaye" the
    // Industries, "Bimeh" Insurance).
    {"banco", "bank", 0},
    {"banque", "bank", 0},
    {"banca", "bank", 0},
    {"nacional", "national", 0},
    {"nationale", "national", 0},
    {"nazionale", "national", 0},
    {"melli", "national", 0},
    {"internacional", "international", 0},
    {"internationale", "international", 0},
    {"internazionale", "international", 0},
    {"central", "", 0},
    {"centrale", "central", 0},
    {"markazi", "central", 0},
    {"commercial", "", 0},
    {"comercial", "commercial", 0},
    {"commerciale", "commercial", 0},
    {"industria", "industry", 0},
    {"industrias", "industry", 0},
    {"industrie", "industry", 0},
    {"sanaye", "industry", 0},
    {"sanayi", "industry", 0},
    {"insurance", "", 0},
    {"seguros", "insurance", 0},
    {"assurance", "insurance", 0},
    {"assurances", "insurance", 0},
    {"assicurazioni", "insurance", 0},
    {"versicherung", "insurance", 0},
    {"bimeh", "insurance", 0},
    {"inversiones", "investment", 0},
    {"investimentos", "investment", 0},
    {"investissement", "investment", 0},
    {"investissements", "investment", 0},
    {"investimenti", "investment", 0},
    {"republic", "", 0},
    {"republica", "republic", 0},
    {"republique", "republic", 0},
    {"repubblica", "republic", 0},
    {"jomhouri", "republic", 0},
    {"jomhuri", "republic", 0},
    {"islamic", "", 0},
    {"islamica", "islamic", 0},
    {"islamique", "islamic", 0},
    {"islami", "islamic", 0},
    {"petroleo", "petroleum", 0},
    {"petroleos", "petroleum", 0},
    {"petrole", "petroleum", 0},
    {"petrolio", "petroleum", 0},
    {"airlines", "", 0},
    {"airline", "airlines", 0},
    {"aerolineas", "airlines", 0},
    // Ordinals written with digits ("2ND ACADEMY" is "SECOND ACADEMY").
    {"first", "", 0},
    {"1st", "first", 0},
    {"second", "", 0},
    {"2nd", "second", 0},
    {"third", "", 0},
    {"3rd", "third", 0},
    {"fourth", "", 0},
    {"4th", "fourth", 0},
    {"fifth", "", 0},
    {"5th", "fifth", 0},
    {"sixth", "", 0},
    {"6th", "sixth", 0},
    {"seventh", "", 0},
    {"7th", "seventh", 0},
    {"eighth", "", 0},
    {"8th", "eighth", 0},
    {"ninth", "", 0},
    {"9th", "ninth", 0},
    {"tenth", "", 0},
    {"10th", "tenth", 0},
    // Spellings of one given name that lists write every way, and its
    // abbreviations ("Mohd", common in Malaysian and Singaporean names).
    {"muhammad", "", 0},
    {"muhammed", "muhammad", 0},
    {"mohammad", "muhammad", 0},
    {"mohammed", "muhammad", 0},
    {"mohamed", "muhammad", 0},
    {"mohamad", "muhammad", 0},
    {"muhamad", "muhammad", 0},
    {"muhamed", "muhammad", 0},
    {"mohammod", "muhammad", 0},
    {"mohd", "muhammad", 0},
    {"muhd", "muhammad", 0},
    // Arabic given names as lists romanise them ("Husayn", "Hussein",
    // "Hossein"; "Yusuf", "Youssef"): the letters of one name, not similar
    // names ("Said", "Saeed" are one name; "Sayyid" another).
    {"ahmad", "", 0},
    {"ahmed", "ahmad", 0},
    {"ahmet", "ahmad", 0},
    {"mahmud", "", 0},
    {"mahmoud", "mahmud", 0},
    {"mahmood", "mahmud", 0},
    {"husayn", "", 0},
    {"hussein", "husayn", 0},
    {"hussain", "husayn", 0},
    {"husain", "husayn", 0},
    {"hossein", "husayn", 0},
    {"hosein", "husayn", 0},
    {"husein", "husayn", 0},
    {"hussien", "husayn", 0},
    {"hasan", "", 0},
    {"hassan", "hasan", 0},
    {"abdullah", "", 0},
    {"abdallah", "abdullah", 0},
    {"abdulla", "abdullah", 0},
    {"abdalla", "abdullah", 0},
    {"abdellah", "abdullah", 0},
    {"mustafa", "", 0},
    {"mostafa", "mustafa", 0},
    {"moustafa", "mustafa", 0},
    {"mostapha", "mustafa", 0},
    {"mustapha", "mustafa", 0},
    {"ibrahim", "", 0},
    {"ebrahim", "ibrahim", 0},
    {"ibraheem", "ibrahim", 0},
    {"ibrahem", "ibrahim", 0},
    {"khalid", "", 0},
    {"khaled", "khalid", 0},
    {"yusuf", "", 0},
    {"yousef", "yusuf", 0},
    {"youssef", "yusuf", 0},
    {"yousif", "yusuf", 0},
    {"yusef", "yusuf", 0},
    {"yousuf", "yusuf", 0},
    {"yosef", "yusuf", 0},
    {"usama", "", 0},
    {"osama", "usama", 0},
    {"oussama", "usama", 0},
    {"umar", "", 0},
    {"omar", "umar", 0},
    {"uthman", "", 0},
    {"othman", "uthman", 0},
    {"osman", "uthman", 0},
    {"usman", "uthman", 0},
    {"sulayman", "", 0},
    {"suleiman", "sulayman", 0},
    {"sulaiman", "sulayman", 0},
    {"soliman", "sulayman", 0},
    {"suleyman", "sulayman", 0},
    {"sulaman", "sulayman", 0},
    {"yahya", "", 0},
    {"yahia", "yahya", 0},
    {"yehia", "yahya", 0},
    {"yahiya", "yahya", 0},
    {"ismail", "", 0},
    {"ismael", "ismail", 0},
    {"esmail", "ismail", 0},
    {"ismaeel", "ismail", 0},
    {"musa", "", 0},
    {"mousa", "musa", 0},
    {"moussa", "musa", 0},
    {"isa", "", 0},
    {"issa", "isa", 0},
    {"eisa", "isa", 0},
    {"faysal", "", 0},
    {"faisal", "faysal", 0},
    {"feisal", "faysal", 0},
    {"faysel", "faysal", 0},
    {"rashid", "", 0},
    {"rasheed", "rashid", 0},
    {"rachid", "rashid", 0},
    {"walid", "", 0},
    {"waleed", "walid", 0},
    {"tariq", "", 0},
    {"tarek", "tariq", 0},
    {"tareq", "tariq", 0},
    {"tarik", "tariq", 0},
    {"nabil", "", 0},
    {"nabeel", "nabil", 0},
    {"adil", "", 0},
    {"adel", "adil", 0},
    {"jihad", "", 0},
    {"jehad", "jihad", 0},
    {"zayd", "", 0},
    {"zaid", "zayd", 0},
    {"zeid", "zayd", 0},
    {"hamza", "", 0},
    {"hamzah", "hamza", 0},
    {"aziz", "", 0},
    {"azeez", "aziz", 0},
    {"karim", "", 0},
    {"kareem", "karim", 0},
    {"majid", "", 0},
    {"majeed", "majid", 0},
    {"nasir", "", 0},
    {"nasser", "nasir", 0},
    {"naser", "nasir", 0},
    {"nassir", "nasir", 0},
    {"jamal", "", 0},
    {"gamal", "jamal", 0},
    {"said", "", 0},
    {"saeed", "said", 0},
    {"saied", "said", 0},
    {"hamid", "", 0},
    {"hameed", "hamid", 0},
    {"salih", "", 0},
    {"saleh", "salih", 0},
    {"ayman", "", 0},
    {"aiman", "ayman", 0},
    {"anwar", "", 0},
    {"anouar", "anwar", 0},
    {"bashir", "", 0},
    {"basheer", "bashir", 0},
    {"bachir", "bashir", 0},
    {"qasim", "", 0},
    {"kassem", "qasim", 0},
    {"qassem", "qasim", 0},
    {"kasim", "qasim", 0},
    {"qasem", "qasim", 0},
    {"hashim", "", 0},
    {"hashem", "hashim", 0},
    {"hachem", "hashim", 0},
    {"ziyad", "", 0},
    {"ziad", "ziyad", 0},
    {"mansur", "", 0},
    {"mansour", "mansur", 0},
    {"nur", "", 0},
    {"noor", "nur", 0},
    {"nour", "nur", 0},
    // Romanisations of one Chinese or Korean surname (Mandarin, Cantonese
    // and Korean spellings of 李, 崔, 朴).
    {"li", "", 0},
    {"lee", "li", 0},
    {"choe", "", 0},
    {"choi", "choe", 0},
    {"tsoi", "choe", 0},
    {"pak", "", 0},
    {"park", "pak", 0},
};

// East Slavic given names as Russian, Ukrainian and Belarusian names and
// their romanisations write them ("Sergey", "Serhiy", "Siarhei"; "Aleksey",
// "Oleksiy", "Aliaksei"): lists write one person's name in each. Their
// patronymics get canonical forms too (see AddPatronymics).
constexpr WordEntry kSlavicGivenNames[] = {
    {"aleksandr", "", 0},
    {"alexander", "aleksandr", 0},
    {"alexandr", "aleksandr", 0},
    {"aleksander", "aleksandr", 0},
    {"oleksandr", "aleksandr", 0},
    {"olexandr", "aleksandr", 0},
    {"aliaksandr", "aleksandr", 0},
    {"alyaksandr", "aleksandr", 0},
    {"aleksey", "", 0},
    {"alexey", "aleksey", 0},
    {"alexei", "aleksey", 0},
    {"aleksei", "aleksey", 0},
    {"alexej", "aleksey", 0},
    {"oleksiy", "aleksey", 0},
    {"oleksii", "aleksey", 0},
    {"olexiy", "aleksey", 0},
    {"aliaksei", "aleksey", 0},
    {"aliaksey", "aleksey", 0},
    {"alyaksey", "aleksey", 0},
    {"sergey", "", 0},
    {"sergei", "sergey", 0},
    {"serguei", "sergey", 0},
    {"sergej", "sergey", 0},
    {"serhiy", "sergey", 0},
    {"serhii", "sergey", 0},
    {"sergiy", "sergey", 0},
    {"sergii", "sergey", 0},
    {"siarhei", "sergey", 0},
    {"siarhey", "sergey", 0},
    {"vladimir", "", 0},
    {"volodymyr", "vladimir", 0},
    {"wladimir", "vladimir", 0},
    {"uladzimir", "vladimir", 0},
    {"andrey", "", 0},
    {"andrei", "andrey", 0},
    {"andrej", "andrey", 0},
    {"andriy", "andrey", 0},
    {"andrii", "andrey", 0},
    {"andrij", "andrey", 0},
    {"dmitriy", "", 0},
    {"dmitry", "dmitriy", 0},
    {"dmitri", "dmitriy", 0},
    {"dmitrii", "dmitriy", 0},
    {"dmytro", "dmitriy", 0},
    {"dzmitry", "dmitriy", 0},
    {"dzmitryi", "dmitriy", 0},
    {"mikhail", "", 0},
    {"mykhailo", "mikhail", 0},
    {"mikhailo", "mikhail", 0},
    {"michail", "mikhail", 0},
    {"nikolay", "", 0},
    {"nikolai", "nikolay", 0},
    {"mykola", "nikolay", 0},
    {"mikalai", "nikolay", 0},
    {"mikalay", "nikolay", 0},
    {"pavel", "", 0},
    {"pavlo", "pavel", 0},
    {"paval", "pavel", 0},
    {"petr", "", 0},
    {"pyotr", "petr", 0},
    {"piotr", "petr", 0},
    {"petro", "petr", 0},
    {"yuriy", "", 0},
    {"yuri", "yuriy", 0},
    {"yury", "yuriy", 0},
    {"yurii", "yuriy", 0},
    {"iurii", "yuriy", 0},
    {"yurij", "yuriy", 0},
    {"jurij", "yuriy", 0},
    {"viktor", "", 0},
    {"victor", "viktor", 0},
    {"yevgeniy", "", 0},
    {"yevgeny", "yevgeniy", 0},
    {"evgeniy", "yevgeniy", 0},
    {"evgeny", "yevgeniy", 0},
    {"evgenii", "yevgeniy", 0},
    {"yevhen", "yevgeniy", 0},
    {"yevheniy", "yevgeniy", 0},
    {"ievgen", "yevgeniy", 0},
    {"yauhen", "yevgeniy", 0},
    {"igor", "", 0},
    {"ihor", "igor", 0},
    {"oleg", "", 0},
    {"oleh", "oleg", 0},
    {"aleh", "oleg", 0},
    {"anatoliy", "", 0},
    {"anatoly", "anatoliy", 0},
    {"anatolii", "anatoliy", 0},
    {"anatolij", "anatoliy", 0},
    {"vasiliy", "", 0},
    {"vasily", "vasiliy", 0},
    {"vasili", "vasiliy", 0},
    {"vasyl", "vasiliy", 0},
    {"vasilii", "vasiliy", 0},
    {"grigoriy", "", 0},
    {"grigory", "grigoriy", 0},
    {"hryhoriy", "grigoriy", 0},
    {"hryhorii", "grigoriy", 0},
    {"ryhor", "grigoriy", 0},
    {"konstantin", "", 0},
    {"kostiantyn", "konstantin", 0},
    {"kanstantsin", "konstantin", 0},
    {"konstantyn", "konstantin", 0},
    {"maksim", "", 0},
    {"maxim", "maksim", 0},
    {"maksym", "maksim", 0},
    {"maxym", "maksim", 0},
    {"valeriy", "", 0},
    {"valery", "valeriy", 0},
    {"valeri", "valeriy", 0},
    {"valerii", "valeriy", 0},
    {"gennadiy", "", 0},
    {"gennady", "gennadiy", 0},
    {"gennadi", "gennadiy", 0},
    {"hennadiy", "gennadiy", 0},
    {"hennadii", "gennadiy", 0},
    {"tatyana", "", 0},
    {"tatiana", "tatyana", 0},
    {"tetiana", "tatyana", 0},
    {"tatsiana", "tatyana", 0},
    {"natalya", "", 0},
    {"natalia", "natalya", 0},
    {"nataliya", "natalya", 0},
    {"natallia", "natalya", 0},
    {"yelena", "", 0},
    {"elena", "yelena", 0},
    {"olena", "yelena", 0},
    {"olga", "", 0},
    {"olha", "olga", 0},
    {"volha", "olga", 0},
    {"irina", "", 0},
    {"iryna", "irina", 0},
    {"svetlana", "", 0},
    {"sviatlana", "svetlana", 0},
    {"yekaterina", "", 0},
    {"ekaterina", "yekaterina", 0},
    {"kateryna", "yekaterina", 0},
    {"katsiaryna", "yekaterina", 0},
    {"anastasiya", "", 0},
    {"anastasia", "anastasiya", 0},
    {"anastasiia", "anastasiya", 0},
    {"ilya", "", 0},
    {"ilia", "ilya", 0},
    {"illia", "ilya", 0},
    {"illya", "ilya", 0},
    {"vyacheslav", "", 0},
    {"viacheslav", "vyacheslav", 0},
    {"vyachaslau", "vyacheslav", 0},
    {"fedor", "", 0},
    {"fyodor", "fedor", 0},
    {"fedir", "fedor", 0},
    {"fiodor", "fedor", 0},
    {"semen", "", 0},
    {"semyon", "semen", 0},
    {"semion", "semen", 0},
    {"arkadiy", "", 0},
    {"arkady", "arkadiy", 0},
    {"arkadii", "arkadiy", 0},
    {"artem", "", 0},
    {"artyom", "artem", 0},
    {"artiom", "artem", 0},
    {"vitaliy", "", 0},
    {"vitaly", "vitaliy", 0},
    {"vitali", "vitaliy", 0},
    {"vitalii", "vitaliy", 0},
    {"kirill", "", 0},
    {"kyrylo", "kirill", 0},
    {"kiryl", "kirill", 0},
};

// Stop words and name particles.
constexpr WordEntry kStopWords[] = {
    {"the", "", kStop}, {"of", "", kStop},    {"and", "", kStop},   {"for", "", kStop},
    {"de", "", kStop},  {"del", "", kStop},   {"della", "", kStop}, {"delle", "", kStop},
    {"dei", "", kStop}, {"degli", "", kStop}, {"di", "", kStop},    {"da", "", kStop},
    {"das", "", kStop}, {"do", "", kStop},    {"dos", "", kStop},   {"du", "", kStop},
    {"des", "", kStop}, {"la", "", kStop},    {"le", "", kStop},    {"les", "", kStop},
    {"lo", "", kStop},  {"los", "", kStop},   {"las", "", kStop},   {"el", "", kStop},
    {"al", "", kStop},  {"der", "", kStop},   {"die", "", kStop},   {"den", "", kStop},
    {"dem", "", kStop}, {"het", "", kStop},   {"van", "", kStop},   {"von", "", kStop},
    {"ten", "", kStop}, {"ter", "", kStop},   {"zu", "", kStop},    {"und", "", kStop},
    {"et", "", kStop},  {"y", "", kStop},     {"e", "", kStop},     {"bin", "", kStop},
    {"ibn", "", kStop}, {"bint", "", kStop},  {"binti", "", kStop}, {"i", "", kStopIfCyrillic},
};

// Personal titles ("Dr. Ramadan Abdulla", "Mr. Kim") name no one, in names
// written in Latin letters; romanised from another script such a word may be
// a name ("mr" from عمر, Omar).
constexpr WordEntry kTitleWords[] = {
    {"dr", "", kStopIfLatin},
    {"mr", "", kStopIfLatin},
    {"mrs", "", kStopIfLatin},
    {"prof", "", kStopIfLatin},
};

// Multi-word legal forms. Words are separated by spaces; a slot may list
// spelling variants separated by '|'.
constexpr std::string_view kLegalPhrases[] = {
    "limited liability company|co",
    "limited liability partnership",
    "limited partnership",
    "public limited company",
    "private limited company",
    "private limited",
    "pvt|pte|pty ltd|limited",
    "sdn bhd",
    "sendirian berhad",
    // UAE free zones: FZE, FZCO and FZ-LLC written out.
    "free zone establishment|enterprise",
    "free zone company|co",
    "free zone limited liability company",
    // Spanish-speaking countries: C.A., S.A. written out.
    "compania anonima",
    "co|company ltd|limited",
    "joint stock company|co",
    "public|open|closed|private joint stock company|co",
    "joint stock",
    "joint venture",
    "sp z oo",
    "sa de cv",
    "s de rl",
    "s de rl de cv",
    "sapi de cv",
    "cia ltda",
    "ltd sti",
    "anonim sirketi",
    "limited sirketi",
    "societe anonyme",
    "societe a responsabilite limitee",
    "societe par actions simplifiee",
    "sociedad anonima",
    "sociedad limitada",
    "sociedad de responsabilidad limitada",
    "societa per azioni",
    "societa a responsabilita limitata",
    "besloten vennootschap",
    "naamloze vennootschap",
    "gesellschaft mit beschrankter|beschraenkter haftung",
    "spolka z ograniczona odpowiedzialnoscia",
    "spolka akcyjna",
    "kabushiki kaisha|gaisha",
    "yugen kaisha|gaisha",
    "godo kaisha|gaisha",
    "jusik|chusik|jusig hoesa",
    "yuhan hoesa",
    "youxian gongsi",
    "gufen youxian gongsi",
    "youxian zeren gongsi",
    "gufen gongsi",
    "cong ty",
    "cong ty tnhh",
    "cong ty co phan",
    // Russian: ООО, АО, ПАО, ОАО, ЗАО, ФГУП written out, in BGN/PCGN,
    // scholarly and informal spellings.
    // NOLINTNEXTLINE(bugprone-suspicious-missing-comma): slots span lines.
    "obshchestvo|obshestvo|obschestvo|obsestvo|obshhestvo s "
    "ogranichennoy|ogranichennoi|ogranichennoj|ogranicennoj|ogranichenoy "
    "otvetstvennostyu|otvetstvennostju|otvetstvennostiu|otvetstvennostu",
    "aktsionernoye|aktsionernoe|akcionernoe|aktsionernoie "
    "obshchestvo|obshestvo|obschestvo|obsestvo|obshhestvo",
    "publichnoye|publichnoe|publicnoe|publichnoie|otkrytoye|otkrytoe|otkrytoie|"
    "zakrytoye|zakrytoe|zakrytoie|nepublichnoye|nepublichnoe "
    "aktsionernoye|aktsionernoe|akcionernoe|aktsionernoie "
    "obshchestvo|obshestvo|obschestvo|obsestvo|obshhestvo",
    "federalnoye|federalnoe|gosudarstvennoye|gosudarstvennoe|munitsipalnoye|"
    "munitsipalnoe|municipalnoe unitarnoye|unitarnoe "
    "predpriyatiye|predpriyatie|predpriiatie|predprijatie",
    "federalnoye|federalnoe gosudarstvennoye|gosudarstvennoe "
    "unitarnoye|unitarnoe predpriyatiye|predpriyatie|predpriiatie|predprijatie",
    // Ukrainian ТОВ.
    "tovarystvo z obmezhenoyu|obmezhenoiu|obmezhenoju "
    "vidpovidalnistyu|vidpovidalnistiu|vidpovidalnistju",
};

// Chinese, Japanese and Korean forms matched in the original script. Entries
// whose romanisation is not a legal form ("jituan", "konggu") are listed so
// that they come out as one word instead of single syllables.
constexpr CjkForm kCjkForms[] = {
    {u"股份有限公司", "gufen youxian gongsi"},
    {u"有限责任公司", "youxian zeren gongsi"},
    {u"有限責任公司", "youxian zeren gongsi"},
    {u"有限公司", "youxian gongsi"},
    {u"股份公司", "gufen gongsi"},
    {u"总公司", "zong gongsi"},
    {u"總公司", "zong gongsi"},
    {u"公司", "gongsi"},
    {u"集团", "jituan"},
    {u"集團", "jituan"},
    {u"控股", "konggu"},
    {u"株式会社", "kabushiki kaisha"},
    {u"株式會社", "kabushiki kaisha"},
    {u"有限会社", "yugen kaisha"},
    {u"合同会社", "godo kaisha"},
    {u"주식회사", "jusik hoesa"},
    {u"유한회사", "yuhan hoesa"},
    {u"회사", "hoesa"},
};

// Chinese words of company names that English-language names of the same
// companies translate ("技术" → "Technology", "信息" → "Information",
// "存储" → "Memory"), simplified and traditional. Each becomes one pinyin
// word whose canonical form (kCanonWords) is the English word, so that
// 长鑫存储技术有限公司 meets "ChangXin Memory Technologies" word for word,
// while a list name written in pinyin still matches. Place names written
// with 市 ("city") or 省 ("province") drop it, as English names do.
constexpr CjkForm kCjkTerms[] = {
    {u"技术", "jishu"},       {u"技術", "jishu"},       {u"科技", "keji"},
    {u"信息", "xinxi"},       {u"資訊", "zixun"},       {u"资讯", "zixun"},
    {u"产业", "chanye"},      {u"產業", "chanye"},      {u"工业", "gongye"},
    {u"工業", "gongye"},      {u"实业", "shiye"},       {u"實業", "shiye"},
    {u"智能", "zhineng"},     {u"网络", "wangluo"},     {u"網絡", "wangluo"},
    {u"網路", "wangluo"},     {u"通讯", "tongxun"},     {u"通訊", "tongxun"},
    {u"通信", "tongxin"},     {u"电信", "dianxin"},     {u"電信", "dianxin"},
    {u"电子", "dianzi"},      {u"電子", "dianzi"},      {u"微电子", "weidianzi"},
    {u"微電子", "weidianzi"}, {u"半导体", "bandaoti"},  {u"半導體", "bandaoti"},
    {u"存储", "cunchu"},      {u"存儲", "cunchu"},      {u"计算", "jisuan"},
    {u"計算", "jisuan"},      {u"投资", "touzi"},       {u"投資", "touzi"},
    {u"国际", "guoji"},       {u"國際", "guoji"},       {u"海运", "haiyun"},
    {u"海運", "haiyun"},      {u"船务", "chuanwu"},     {u"船務", "chuanwu"},
    {u"航运", "hangyun"},     {u"航運", "hangyun"},     {u"数码", "shuma"},
    {u"數碼", "shuma"},       {u"数字", "shuzi"},       {u"數字", "shuzi"},
    {u"创新", "chuangxin"},   {u"創新", "chuangxin"},   {u"软件", "ruanjian"},
    {u"軟件", "ruanjian"},    {u"軟體", "ruanjian"},    {u"设备", "shebei"},
    {u"設備", "shebei"},      {u"系统", "xitong"},      {u"系統", "xitong"},
    {u"安全", "anquan"},      {u"大学", "daxue"},       {u"大學", "daxue"},
    {u"银行", "yinhang"},     {u"銀行", "yinhang"},     {u"贸易", "maoyi"},
    {u"貿易", "maoyi"},       {u"航空", "hangkong"},    {u"航天", "hangtian"},
    {u"能源", "nengyuan"},    {u"石油", "shiyou"},      {u"化工", "huagong"},
    {u"电力", "dianli"},      {u"電力", "dianli"},      {u"电气", "dianqi"},
    {u"電氣", "dianqi"},      {u"机械", "jixie"},       {u"機械", "jixie"},
    {u"制造", "zhizao"},      {u"製造", "zhizao"},      {u"光电", "guangdian"},
    {u"光電", "guangdian"},   {u"移动", "yidong"},      {u"移動", "yidong"},
    {u"联通", "liantong"},    {u"聯通", "liantong"},    {u"视觉", "shijue"},
    {u"視覺", "shijue"},      {u"科学", "kexue"},       {u"科學", "kexue"},
    {u"发展", "fazhan"},      {u"發展", "fazhan"},      {u"物流", "wuliu"},
    {u"研究", "yanjiu"},      {u"中国", "zhongguo"},    {u"中國", "zhongguo"},
    {u"香港", "xianggang"},   {u"澳门", "aomen"},       {u"澳門", "aomen"},
    {u"北京市", "beijing"},   {u"上海市", "shanghai"},  {u"天津市", "tianjin"},
    {u"重庆市", "chongqing"}, {u"重慶市", "chongqing"}, {u"深圳市", "shenzhen"},
    {u"广州市", "guangzhou"}, {u"廣州市", "guangzhou"}, {u"杭州市", "hangzhou"},
    {u"南京市", "nanjing"},   {u"武汉市", "wuhan"},     {u"武漢市", "wuhan"},
    {u"成都市", "chengdu"},   {u"西安市", "xian"},      {u"苏州市", "suzhou"},
    {u"蘇州市", "suzhou"},    {u"东莞市", "dongguan"},  {u"東莞市", "dongguan"},
    {u"珠海市", "zhuhai"},    {u"厦门市", "xiamen"},    {u"廈門市", "xiamen"},
    {u"青岛市", "qingdao"},   {u"青島市", "qingdao"},   {u"合肥市", "hefei"},
    {u"广东省", "guangdong"}, {u"廣東省", "guangdong"}, {u"浙江省", "zhejiang"},
    {u"江苏省", "jiangsu"},   {u"江蘇省", "jiangsu"},   {u"福建省", "fujian"},
};

// Open-addressing hash table from word to WordInfo; built once, read-only.
class WordMap {
 public:
  // `size`: a power of two, well above twice the entry count.
  explicit WordMap(size_t size = 4096) : mask_(size - 1), slots_(size) {}

  WordInfo* Insert(std::string_view word) {
    size_t i = Hash(word) & mask_;
    while (!slots_[i].word.empty() && slots_[i].word != word) i = (i + 1) & mask_;
    slots_[i].word = word;
    return &slots_[i].info;
  }
  const WordInfo* Find(std::string_view word) const {
    if (word.empty() || word.size() > kMaxWordLength) return nullptr;
    size_t i = Hash(word) & mask_;
    while (!slots_[i].word.empty()) {
      if (slots_[i].word == word) return &slots_[i].info;
      i = (i + 1) & mask_;
    }
    return nullptr;
  }

 private:
  static constexpr size_t kMaxWordLength = 48;
  struct Slot {
    std::string_view word;
    WordInfo info;
  };
  static size_t Hash(std::string_view s) {
    uint64_t h = 14695981039346656037ull;  // FNV-1a
    for (char ch : s) {
      h ^= static_cast<unsigned char>(ch);
      h *= 1099511628211ull;
    }
    return static_cast<size_t>(h ^ (h >> 29));
  }
  size_t mask_;
  std::vector<Slot> slots_;
};

struct Tables {
  WordMap words;
  // Patronymics of kSlavicGivenNames in their spellings ("sergeyevich",
  // "serhiyovych", "siarheevich") → "sergeyovich" (see AddPatronymics), and
  // the storage of those strings.
  WordMap patronymics = WordMap(size_t{1} << 15);
  std::deque<std::string> storage;
  // Each phrase: a list of slots, each slot a list of accepted spellings.
  using Phrase = std::vector<std::vector<std::string_view>>;
  std::vector<Phrase> phrases;
  // First-slot spelling → indexes into `phrases`.
  std::unordered_map<std::string_view, std::vector<size_t>> phrase_starts;
  size_t max_cjk_length = 0;
};

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The patronymics formed from each spelling of a given name, each with the
// canonical form of its name plus "ovich" or "ovna": Russian "-ovich",
// "-evich", "-yevich" ("Sergeyevich", "Sergeevich"), Ukrainian "-ovych",
// "-yovych", "-ivna" ("Serhiyovych", "Mykolayovych"), Belarusian "-avich",
// "-auna" ("Uladzimiravich"), on the name, on it without a final y, i or o,
// or with "pavel" as "pavl".
void AddPatronymics(Tables* t) {
  static constexpr std::string_view kMale[] = {"ovich", "evich",  "yevich", "ievich", "ovych",
                                               "evych", "yovych", "avich",  "yavich", "iavich"};
  static constexpr std::string_view kFemale[] = {"ovna",  "evna", "yevna", "ievna", "ivna",
                                                 "yivna", "avna", "auna",  "yauna", "awna"};
  for (const WordEntry& e : kSlavicGivenNames) {
    const std::string_view canon = e.canon.empty() ? e.word : e.canon;
    const std::string_view male = t->storage.emplace_back(std::string(canon) + "ovich");
    const std::string_view female = t->storage.emplace_back(std::string(canon) + "ovna");
    const std::string w(e.word);
    std::vector<std::string> stems = {w};
    if (EndsWith(w, "iy") || EndsWith(w, "ii") || EndsWith(w, "ij") || EndsWith(w, "yi")) {
      stems.push_back(w.substr(0, w.size() - 2));
    }
    if (EndsWith(w, "y") || EndsWith(w, "i") || EndsWith(w, "j") || EndsWith(w, "o") ||
        EndsWith(w, "a")) {
      stems.push_back(w.substr(0, w.size() - 1));
    }
    if (EndsWith(w, "el")) stems.push_back(w.substr(0, w.size() - 2) + "l");
    if (const size_t ai = w.find("ai"); ai != std::string::npos) {
      stems.push_back(w.substr(0, ai) + "ay" + w.substr(ai + 2));
    }
    for (const std::string& stem : stems) {
      for (const auto& [suffixes, form] :
           {std::pair{std::span<const std::string_view>(kMale), male},
            std::pair{std::span<const std::string_view>(kFemale), female}}) {
        for (const std::string_view suffix : suffixes) {
          const std::string word = stem + std::string(suffix);
          if (t->words.Find(word) != nullptr || word == form ||
              t->patronymics.Find(word) != nullptr) {
            continue;
          }
          t->patronymics.Insert(t->storage.emplace_back(word))->canon = form;
        }
      }
    }
  }
}

Tables BuildTables() {
  Tables t;
  auto add = [&t](const WordEntry& e) {
    WordInfo* info = t.words.Insert(e.word);
    info->flags |= e.flags;
    if (!e.canon.empty()) info->canon = e.canon;
  };
  for (const WordEntry& e : kLegalWords) add(e);
  for (const WordEntry& e : kCanonWords) add(e);
  for (const WordEntry& e : kSlavicGivenNames) add(e);
  for (const WordEntry& e : kStopWords) add(e);
  for (const WordEntry& e : kTitleWords) add(e);
  for (std::string_view text : kLegalPhrases) {
    Tables::Phrase phrase;
    for (std::string_view slot : Split(text, ' ')) phrase.push_back(Split(slot, '|'));
    for (std::string_view first : phrase.front()) {
      t.phrase_starts[first].push_back(t.phrases.size());
      t.words.Insert(first)->flags |= kPhraseStart;
    }
    t.phrases.push_back(std::move(phrase));
  }
  for (const CjkForm& f : kCjkForms) {
    t.max_cjk_length = std::max(t.max_cjk_length, f.script.size());
  }
  AddPatronymics(&t);
  return t;
}

const Tables& GetTables() {
  static const Tables kTables = BuildTables();
  return kTables;
}

}  // namespace

const WordInfo* LookupWord(std::string_view word) {
  const Tables& t = GetTables();
  if (const WordInfo* info = t.words.Find(word)) return info;
  // Patronymics end in "ich", "ych" or "na" (only those are looked up there).
  if (word.size() < 7 || (word.back() != 'h' && word.back() != 'a')) return nullptr;
  return t.patronymics.Find(word);
}

size_t MatchLegalPhrase(const std::string_view* tokens, size_t count, size_t start) {
  const Tables& t = GetTables();
  if (start >= count) return 0;
  auto it = t.phrase_starts.find(tokens[start]);
  if (it == t.phrase_starts.end()) return 0;
  size_t best = 0;
  for (size_t index : it->second) {
    const Tables::Phrase& phrase = t.phrases[index];
    if (phrase.size() <= best || start + phrase.size() > count) continue;
    bool all = true;
    for (size_t k = 1; k < phrase.size() && all; ++k) {
      const auto& slot = phrase[k];
      all = std::find(slot.begin(), slot.end(), tokens[start + k]) != slot.end();
    }
    if (all) best = phrase.size();
  }
  return best;
}

const CjkForm* MatchCjkForm(std::u16string_view text) {
  const CjkForm* best = nullptr;
  auto consider = [&](const CjkForm& f) {
    if (text.size() >= f.script.size() && text[0] == f.script[0] &&
        text.substr(0, f.script.size()) == f.script &&
        (best == nullptr || f.script.size() > best->script.size())) {
      best = &f;
    }
  };
  for (const CjkForm& f : kCjkForms) consider(f);
  for (const CjkForm& f : kCjkTerms) consider(f);
  return best;
}

}  // namespace internal

// Context-free answer: true for words that are legal forms on their own
// ("ltd", "gmbh", "ooo", and the short forms such as "sa" that NormalizeName
// accepts only at the edges of a name). Words that are legal forms only
// inside a phrase ("liability", "joint", "stock") give false.
bool IsLegalFormToken(std::string_view token) {
  const internal::WordInfo* info = internal::LookupWord(token);
  return info != nullptr && (info->flags & (internal::kLegalAnywhere | internal::kLegalAtStart |
                                            internal::kLegalAtEnd)) != 0;
}

// The canonical form NormalizeName gives a word on its own: the word a
// table maps it to ("technologies" → "tech", "jishu" → "tech"), else the
// word itself.
std::string_view CanonicalForm(std::string_view token) {
  const internal::WordInfo* info = internal::LookupWord(token);
  return info != nullptr && !info->canon.empty() ? info->canon : token;
}

}  // namespace icts::text
