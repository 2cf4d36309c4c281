#include "refdata/countries.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/strings.h"

namespace icts::refdata {
namespace {

struct CountryEntry {
  std::string_view alpha2;
  std::string_view alpha3;
  std::string_view name;  // English short name.
};

// Every ISO 3166-1 entry, followed by a few codes that lists still use:
// Kosovo (XK, user-assigned, used by the EU, OFAC and the CSL) and withdrawn
// ISO 3166-3 codes that appear in places of birth and old addresses.
constexpr CountryEntry kCountries[] = {
    {"AF", "AFG", "Afghanistan"},
    {"AX", "ALA", "Åland Islands"},
    {"AL", "ALB", "Albania"},
    {"DZ", "DZA", "Algeria"},
    {"AS", "ASM", "American Samoa"},
    {"AD", "AND", "Andorra"},
    {"AO", "AGO", "Angola"},
    {"AI", "AIA", "Anguilla"},
    {"AQ", "ATA", "Antarctica"},
    {"AG", "ATG", "Antigua and Barbuda"},
    {"AR", "ARG", "Argentina"},
    {"AM", "ARM", "Armenia"},
    {"AW", "ABW", "Aruba"},
    {"AU", "AUS", "Australia"},
    {"AT", "AUT", "Austria"},
    {"AZ", "AZE", "Azerbaijan"},
    {"BS", "BHS", "Bahamas"},
    {"BH", "BHR", "Bahrain"},
    {"BD", "BGD", "Bangladesh"},
    {"BB", "BRB", "Barbados"},
    {"BY", "BLR", "Belarus"},
    {"BE", "BEL", "Belgium"},
    {"BZ", "BLZ", "Belize"},
    {"BJ", "BEN", "Benin"},
    {"BM", "BMU", "Bermuda"},
    {"BT", "BTN", "Bhutan"},
    {"BO", "BOL", "Bolivia"},
    {"BQ", "BES", "Bonaire, Sint Eustatius and Saba"},
    {"BA", "BIH", "Bosnia and Herzegovina"},
    {"BW", "BWA", "Botswana"},
    {"BV", "BVT", "Bouvet Island"},
    {"BR", "BRA", "Brazil"},
    {"IO", "IOT", "British Indian Ocean Territory"},
    {"BN", "BRN", "Brunei Darussalam"},
    {"BG", "BGR", "Bulgaria"},
    {"BF", "BFA", "Burkina Faso"},
    {"BI", "BDI", "Burundi"},
    {"CV", "CPV", "Cabo Verde"},
    {"KH", "KHM", "Cambodia"},
    {"CM", "CMR", "Cameroon"},
    {"CA", "CAN", "Canada"},
    {"KY", "CYM", "Cayman Islands"},
    {"CF", "CAF", "Central African Republic"},
    {"TD", "TCD", "Chad"},
    {"CL", "CHL", "Chile"},
    {"CN", "CHN", "China"},
    {"CX", "CXR", "Christmas Island"},
    {"CC", "CCK", "Cocos (Keeling) Islands"},
    {"CO", "COL", "Colombia"},
    {"KM", "COM", "Comoros"},
    {"CG", "COG", "Congo"},
    {"CD", "COD", "Democratic Republic of the Congo"},
    {"CK", "COK", "Cook Islands"},
    {"CR", "CRI", "Costa Rica"},
    {"CI", "CIV", "Côte d'Ivoire"},
    {"HR", "HRV", "Croatia"},
    {"CU", "CUB", "Cuba"},
    {"CW", "CUW", "Curaçao"},
    {"CY", "CYP", "Cyprus"},
    {"CZ", "CZE", "Czechia"},
    {"DK", "DNK", "Denmark"},
    {"DJ", "DJI", "Djibouti"},
    {"DM", "DMA", "Dominica"},
    {"DO", "DOM", "Dominican Republic"},
    {"EC", "ECU", "Ecuador"},
    {"EG", "EGY", "Egypt"},
    {"SV", "SLV", "El Salvador"},
    {"GQ", "GNQ", "Equatorial Guinea"},
    {"ER", "ERI", "Eritrea"},
    {"EE", "EST", "Estonia"},
    {"SZ", "SWZ", "Eswatini"},
    {"ET", "ETH", "Ethiopia"},
    {"FK", "FLK", "Falkland Islands"},
    {"FO", "FRO", "Faroe Islands"},
    {"FJ", "FJI", "Fiji"},
    {"FI", "FIN", "Finland"},
    {"FR", "FRA", "France"},
    {"GF", "GUF", "French Guiana"},
    {"PF", "PYF", "French Polynesia"},
    {"TF", "ATF", "French Southern Territories"},
    {"GA", "GAB", "Gabon"},
    {"GM", "GMB", "Gambia"},
    {"GE", "GEO", "Georgia"},
    {"DE", "DEU", "Germany"},
    {"GH", "GHA", "Ghana"},
    {"GI", "GIB", "Gibraltar"},
    {"GR", "GRC", "Greece"},
    {"GL", "GRL", "Greenland"},
    {"GD", "GRD", "Grenada"},
    {"GP", "GLP", "Guadeloupe"},
    {"GU", "GUM", "Guam"},
    {"GT", "GTM", "Guatemala"},
    {"GG", "GGY", "Guernsey"},
    {"GN", "GIN", "Guinea"},
    {"GW", "GNB", "Guinea-Bissau"},
    {"GY", "GUY", "Guyana"},
    {"HT", "HTI", "Haiti"},
    {"HM", "HMD", "Heard Island and McDonald Islands"},
    {"VA", "VAT", "Holy See"},
    {"HN", "HND", "Honduras"},
    {"HK", "HKG", "Hong Kong"},
    {"HU", "HUN", "Hungary"},
    {"IS", "ISL", "Iceland"},
    {"IN", "IND", "India"},
    {"ID", "IDN", "Indonesia"},
    {"IR", "IRN", "Iran"},
    {"IQ", "IRQ", "Iraq"},
    {"IE", "IRL", "Ireland"},
    {"IM", "IMN", "Isle of Man"},
    {"IL", "ISR", "Israel"},
    {"IT", "ITA", "Italy"},
    {"JM", "JAM", "Jamaica"},
    {"JP", "JPN", "Japan"},
    {"JE", "JEY", "Jersey"},
    {"JO", "JOR", "Jordan"},
    {"KZ", "KAZ", "Kazakhstan"},
    {"KE", "KEN", "Kenya"},
    {"KI", "KIR", "Kiribati"},
    {"KP", "PRK", "North Korea"},
    {"KR", "KOR", "South Korea"},
    {"KW", "KWT", "Kuwait"},
    {"KG", "KGZ", "Kyrgyzstan"},
    {"LA", "LAO", "Laos"},
    {"LV", "LVA", "Latvia"},
    {"LB", "LBN", "Lebanon"},
    {"LS", "LSO", "Lesotho"},
    {"LR", "LBR", "Liberia"},
    {"LY", "LBY", "Libya"},
    {"LI", "LIE", "Liechtenstein"},
    {"LT", "LTU", "Lithuania"},
    {"LU", "LUX", "Luxembourg"},
    {"MO", "MAC", "Macao"},
    {"MG", "MDG", "Madagascar"},
    {"MW", "MWI", "Malawi"},
    {"MY", "MYS", "Malaysia"},
    {"MV", "MDV", "Maldives"},
    {"ML", "MLI", "Mali"},
    {"MT", "MLT", "Malta"},
    {"MH", "MHL", "Marshall Islands"},
    {"MQ", "MTQ", "Martinique"},
    {"MR", "MRT", "Mauritania"},
    {"MU", "MUS", "Mauritius"},
    {"YT", "MYT", "Mayotte"},
    {"MX", "MEX", "Mexico"},
    {"FM", "FSM", "Micronesia"},
    {"MD", "MDA", "Moldova"},
    {"MC", "MCO", "Monaco"},
    {"MN", "MNG", "Mongolia"},
    {"ME", "MNE", "Montenegro"},
    {"MS", "MSR", "Montserrat"},
    {"MA", "MAR", "Morocco"},
    {"MZ", "MOZ", "Mozambique"},
    {"MM", "MMR", "Myanmar"},
    {"NA", "NAM", "Namibia"},
    {"NR", "NRU", "Nauru"},
    {"NP", "NPL", "Nepal"},
    {"NL", "NLD", "Netherlands"},
    {"NC", "NCL", "New Caledonia"},
    {"NZ", "NZL", "New Zealand"},
    {"NI", "NIC", "Nicaragua"},
    {"NE", "NER", "Niger"},
    {"NG", "NGA", "Nigeria"},
    {"NU", "NIU", "Niue"},
    {"NF", "NFK", "Norfolk Island"},
    {"MK", "MKD", "North Macedonia"},
    {"MP", "MNP", "Northern Mariana Islands"},
    {"NO", "NOR", "Norway"},
    {"OM", "OMN", "Oman"},
    {"PK", "PAK", "Pakistan"},
    {"PW", "PLW", "Palau"},
    {"PS", "PSE", "Palestine"},
    {"PA", "PAN", "Panama"},
    {"PG", "PNG", "Papua New Guinea"},
    {"PY", "PRY", "Paraguay"},
    {"PE", "PER", "Peru"},
    {"PH", "PHL", "Philippines"},
    {"PN", "PCN", "Pitcairn"},
    {"PL", "POL", "Poland"},
    {"PT", "PRT", "Portugal"},
    {"PR", "PRI", "Puerto Rico"},
    {"QA", "QAT", "Qatar"},
    {"RE", "REU", "Réunion"},
    {"RO", "ROU", "Romania"},
    {"RU", "RUS", "Russia"},
    {"RW", "RWA", "Rwanda"},
    {"BL", "BLM", "Saint Barthélemy"},
    {"SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha"},
    {"KN", "KNA", "Saint Kitts and Nevis"},
    {"LC", "LCA", "Saint Lucia"},
    {"MF", "MAF", "Saint Martin (French part)"},
    {"PM", "SPM", "Saint Pierre and Miquelon"},
    {"VC", "VCT", "Saint Vincent and the Grenadines"},
    {"WS", "WSM", "Samoa"},
    {"SM", "SMR", "San Marino"},
    {"ST", "STP", "Sao Tome and Principe"},
    {"SA", "SAU", "Saudi Arabia"},
    {"SN", "SEN", "Senegal"},
    {"RS", "SRB", "Serbia"},
    {"SC", "SYC", "Seychelles"},
    {"SL", "SLE", "Sierra Leone"},
    {"SG", "SGP", "Singapore"},
    {"SX", "SXM", "Sint Maarten (Dutch part)"},
    {"SK", "SVK", "Slovakia"},
    {"SI", "SVN", "Slovenia"},
    {"SB", "SLB", "Solomon Islands"},
    {"SO", "SOM", "Somalia"},
    {"ZA", "ZAF", "South Africa"},
    {"GS", "SGS", "South Georgia and the South Sandwich Islands"},
    {"SS", "SSD", "South Sudan"},
    {"ES", "ESP", "Spain"},
    {"LK", "LKA", "Sri Lanka"},
    {"SD", "SDN", "Sudan"},
    {"SR", "SUR", "Suriname"},
    {"SJ", "SJM", "Svalbard and Jan Mayen"},
    {"SE", "SWE", "Sweden"},
    {"CH", "CHE", "Switzerland"},
    {"SY", "SYR", "Syria"},
    {"TW", "TWN", "Taiwan"},
    {"TJ", "TJK", "Tajikistan"},
    {"TZ", "TZA", "Tanzania"},
    {"TH", "THA", "Thailand"},
    {"TL", "TLS", "Timor-Leste"},
    {"TG", "TGO", "Togo"},
    {"TK", "TKL", "Tokelau"},
    {"TO", "TON", "Tonga"},
    {"TT", "TTO", "Trinidad and Tobago"},
    {"TN", "TUN", "Tunisia"},
    {"TR", "TUR", "Türkiye"},
    {"TM", "TKM", "Turkmenistan"},
    {"TC", "TCA", "Turks and Caicos Islands"},
    {"TV", "TUV", "Tuvalu"},
    {"UG", "UGA", "Uganda"},
    {"UA", "UKR", "Ukraine"},
    {"AE", "ARE", "United Arab Emirates"},
    {"GB", "GBR", "United Kingdom"},
    {"US", "USA", "United States"},
    {"UM", "UMI", "United States Minor Outlying Islands"},
    {"UY", "URY", "Uruguay"},
    {"UZ", "UZB", "Uzbekistan"},
    {"VU", "VUT", "Vanuatu"},
    {"VE", "VEN", "Venezuela"},
    {"VN", "VNM", "Viet Nam"},
    {"VG", "VGB", "British Virgin Islands"},
    {"VI", "VIR", "U.S. Virgin Islands"},
    {"WF", "WLF", "Wallis and Futuna"},
    {"EH", "ESH", "Western Sahara"},
    {"YE", "YEM", "Yemen"},
    {"ZM", "ZMB", "Zambia"},
    {"ZW", "ZWE", "Zimbabwe"},
    // Not (or no longer) in ISO 3166-1, but still written by lists.
    {"XK", "XKX", "Kosovo"},
    {"AN", "ANT", "Netherlands Antilles"},
    {"CS", "SCG", "Serbia and Montenegro"},
    {"YU", "YUG", "Yugoslavia"},
    {"SU", "SUN", "Soviet Union"},
};

struct Alias {
  std::string_view text;
  std::string_view alpha2;
};

// Other names for the entries above: official long forms, the inverted forms
// OFAC and the UN write ("Korea, North", "Iran (Islamic Republic of)"),
// former names, regions that lists give in place of a country, and a few
// misspellings seen in published lists. Spelling variants that differ only in
// case, accents, punctuation, "&" versus "and", "St" versus "Saint" or a
// leading or trailing "the" need no entry: the lookup key already ignores
// those differences.
constexpr Alias kAliases[] = {
    // Afghanistan .. Bosnia.
    {"Islamic Republic of Afghanistan", "AF"},
    {"Islamic Emirate of Afghanistan", "AF"},
    {"Aland", "AX"},
    {"People's Democratic Republic of Algeria", "DZ"},
    {"Antigua", "AG"},
    {"Commonwealth of Australia", "AU"},
    {"Republic of Azerbaijan", "AZ"},
    {"Commonwealth of the Bahamas", "BS"},
    {"Kingdom of Bahrain", "BH"},
    {"Byelorussia", "BY"},
    {"Belorussia", "BY"},
    {"Republic of Belarus", "BY"},
    {"Bolivia (Plurinational State of)", "BO"},
    {"Plurinational State of Bolivia", "BO"},
    {"Bonaire", "BQ"},
    {"Caribbean Netherlands", "BQ"},
    {"Bosnia", "BA"},
    {"Bosina-Herzegovina", "BA"},  // Misspelt in OFAC data.
    {"Federative Republic of Brazil", "BR"},
    {"Brunei", "BN"},
    {"Upper Volta", "BF"},
    {"Burma", "MM"},
    // Cabo Verde .. Czechia.
    {"Cape Verde", "CV"},
    {"Kampuchea", "KH"},
    {"Kingdom of Cambodia", "KH"},
    {"Cayman", "KY"},
    {"CAR", "CF"},
    {"People's Republic of China", "CN"},
    {"Peoples Republic of China", "CN"},
    {"China, People's Republic of", "CN"},
    {"PRC", "CN"},
    {"P.R.C.", "CN"},
    {"P R China", "CN"},
    {"PR China", "CN"},
    {"Mainland China", "CN"},
    {"China (Mainland)", "CN"},
    {"Chinese Mainland", "CN"},
    {"Cocos Islands", "CC"},
    {"Keeling Islands", "CC"},
    {"Comoros Islands", "KM"},
    {"Union of the Comoros", "KM"},
    {"Republic of the Congo", "CG"},
    {"Congo, Republic of the", "CG"},
    {"Congo (Brazzaville)", "CG"},
    {"Congo Republic", "CG"},
    {"Congo, Democratic Republic of the", "CD"},
    {"Congo (Kinshasa)", "CD"},
    {"DR Congo", "CD"},
    {"DRC", "CD"},
    {"D.R.C.", "CD"},
    {"Zaire", "CD"},
    {"Ivory Coast", "CI"},
    {"Republic of Cote d'Ivoire", "CI"},
    {"Czech Republic", "CZ"},
    // Denmark .. Guyana.
    {"Kingdom of Denmark", "DK"},
    {"Arab Republic of Egypt", "EG"},
    {"Swaziland", "SZ"},
    {"Kingdom of Eswatini", "SZ"},
    {"Federal Democratic Republic of Ethiopia", "ET"},
    {"Falkland Islands (Malvinas)", "FK"},
    {"Malvinas", "FK"},
    {"Faeroe Islands", "FO"},
    {"Faroes", "FO"},
    {"French Republic", "FR"},
    {"Republic of the Gambia", "GM"},
    {"Federal Republic of Germany", "DE"},
    {"West Germany", "DE"},
    {"East Germany", "DE"},
    {"German Democratic Republic", "DE"},
    {"Hellenic Republic", "GR"},
    {"Republic of Guinea-Bissau", "GW"},
    {"Co-operative Republic of Guyana", "GY"},
    // Haiti .. Kyrgyzstan.
    {"Vatican", "VA"},
    {"Vatican City", "VA"},
    {"Vatican City State", "VA"},
    {"Holy See (Vatican City State)", "VA"},
    {"Hong Kong SAR", "HK"},
    {"Hong Kong S.A.R.", "HK"},
    {"Hong Kong, China", "HK"},
    {"Hong Kong Special Administrative Region", "HK"},
    {"China, Hong Kong Special Administrative Region", "HK"},
    {"Hong Kong SAR, China", "HK"},
    {"Hong Kong Special Administrative Region of China", "HK"},
    {"HKSAR", "HK"},
    {"Hongkong", "HK"},
    {"Republic of India", "IN"},
    {"Republic of Indonesia", "ID"},
    {"Iran (Islamic Republic of)", "IR"},
    {"Islamic Republic of Iran", "IR"},
    {"Persia", "IR"},
    {"Republic of Iraq", "IQ"},
    {"Eire", "IE"},
    {"Republic of Ireland", "IE"},
    {"Man, Isle of", "IM"},
    {"State of Israel", "IL"},
    {"Italian Republic", "IT"},
    {"Hashemite Kingdom of Jordan", "JO"},
    {"Republic of Kazakhstan", "KZ"},
    {"Republic of Kenya", "KE"},
    {"Korea, North", "KP"},
    {"Democratic People's Republic of Korea", "KP"},
    {"Korea, Democratic People's Republic of", "KP"},
    {"Korea, Dem. People's Rep.", "KP"},
    {"Korea DPR", "KP"},
    {"DPR Korea", "KP"},
    {"DPRK", "KP"},
    {"D.P.R.K.", "KP"},
    {"Korea, South", "KR"},
    {"Republic of Korea", "KR"},
    {"Korea, Republic of", "KR"},
    {"Korea, Rep.", "KR"},
    {"ROK", "KR"},
    {"State of Kuwait", "KW"},
    {"Kyrgyz Republic", "KG"},
    {"Kirghizia", "KG"},
    {"Kirgizstan", "KG"},
    // Laos .. Myanmar.
    {"Lao People's Democratic Republic", "LA"},
    {"Lao PDR", "LA"},
    {"Lebanese Republic", "LB"},
    {"Libyan Arab Jamahiriya", "LY"},
    {"State of Libya", "LY"},
    {"Macau", "MO"},
    {"Macao SAR", "MO"},
    {"Macau SAR", "MO"},
    {"Macao, China", "MO"},
    {"Macau, China", "MO"},
    {"Macao Special Administrative Region", "MO"},
    {"China, Macao Special Administrative Region", "MO"},
    {"Macao SAR, China", "MO"},
    {"Malagasy Republic", "MG"},
    {"Federation of Malaysia", "MY"},
    {"Northern Mali", "ML"},
    {"Islamic Republic of Mauritania", "MR"},
    {"United Mexican States", "MX"},
    {"Micronesia, Federated States of", "FM"},
    {"Federated States of Micronesia", "FM"},
    {"Moldova, Republic of", "MD"},
    {"Republic of Moldova", "MD"},
    {"Moldavia", "MD"},
    {"Kingdom of Morocco", "MA"},
    {"Republic of the Union of Myanmar", "MM"},
    // Namibia .. Philippines.
    {"Holland", "NL"},
    {"Kingdom of the Netherlands", "NL"},
    {"Macedonia", "MK"},
    {"Republic of North Macedonia", "MK"},
    {"Macedonia, The Former Yugoslav Republic of", "MK"},
    {"The former Yugoslav Republic of Macedonia", "MK"},
    {"FYROM", "MK"},
    {"Republic of Macedonia", "MK"},
    {"Mariana Islands", "MP"},
    {"Kingdom of Norway", "NO"},
    {"Sultanate of Oman", "OM"},
    {"Islamic Republic of Pakistan", "PK"},
    {"State of Palestine", "PS"},
    {"Palestinian", "PS"},
    {"Palestinian Territories", "PS"},
    {"Palestinian Territory", "PS"},
    {"Palestinian Territory, Occupied", "PS"},
    {"Occupied Palestinian Territory", "PS"},
    {"Occupied Palestinian Territories", "PS"},
    {"Palestinian Authority", "PS"},
    {"Palestine, State of", "PS"},
    {"West Bank", "PS"},
    {"West Bank and Gaza", "PS"},
    {"Gaza", "PS"},
    {"Gaza Strip", "PS"},
    {"Republic of Panama", "PA"},
    {"Republic of Peru", "PE"},
    {"Republic of the Philippines", "PH"},
    {"Phillipines", "PH"},  // Misspelt in OFAC data.
    {"Philipines", "PH"},
    // Qatar .. Syria.
    {"State of Qatar", "QA"},
    {"Roumania", "RO"},
    {"Russian Federation", "RU"},
    {"Rossiya", "RU"},
    {"Crimea", "UA"},  // Occupied region of Ukraine (OFAC "Region: Crimea").
    {"Crimea, Ukraine", "UA"},
    {"Autonomous Republic of Crimea", "UA"},
    {"Republic of Rwanda", "RW"},
    {"St Barts", "BL"},
    {"Saint Helena", "SH"},
    {"Ascension Island", "SH"},
    {"Tristan da Cunha", "SH"},
    {"Saint Kitts", "KN"},
    {"Saint Christopher and Nevis", "KN"},
    {"Saint Martin", "MF"},
    {"Saint Vincent", "VC"},
    {"Western Samoa", "WS"},
    {"Sao Tome", "ST"},
    {"Kingdom of Saudi Arabia", "SA"},
    {"KSA", "SA"},
    {"Republic of Senegal", "SN"},
    {"Republic of Serbia", "RS"},
    {"Republic of Singapore", "SG"},
    {"Sint Maarten", "SX"},
    {"Slovak Republic", "SK"},
    {"Federal Republic of Somalia", "SO"},
    {"Somaliland", "SO"},
    {"Republic of South Africa", "ZA"},
    {"RSA", "ZA"},
    {"South Georgia", "GS"},
    {"Republic of South Sudan", "SS"},
    {"Kingdom of Spain", "ES"},
    {"Ceylon", "LK"},
    {"Republic of the Sudan", "SD"},
    {"Surinam", "SR"},
    {"Svalbard", "SJ"},
    {"Kingdom of Sweden", "SE"},
    {"Swiss Confederation", "CH"},
    {"Syrian Arab Republic", "SY"},
    // Taiwan .. Zimbabwe.
    {"Taiwan, Province of China", "TW"},
    {"Taiwan, China", "TW"},
    {"Republic of China", "TW"},
    {"Republic of China (Taiwan)", "TW"},
    {"Taiwan, Republic of China", "TW"},
    {"Chinese Taipei", "TW"},
    {"Tanzania, United Republic of", "TZ"},
    {"United Republic of Tanzania", "TZ"},
    {"Kingdom of Thailand", "TH"},
    {"Siam", "TH"},
    {"East Timor", "TL"},
    {"Trinidad", "TT"},
    {"Republic of Tunisia", "TN"},
    {"Turkey", "TR"},
    {"Republic of Turkey", "TR"},
    {"Republic of Türkiye", "TR"},
    {"Turks and Caicos", "TC"},
    {"UAE", "AE"},
    {"U.A.E.", "AE"},
    {"Emirates", "AE"},
    {"United Kingdom of Great Britain and Northern Ireland", "GB"},
    {"UK", "GB"},
    {"U.K.", "GB"},
    {"Great Britain", "GB"},
    {"Britain", "GB"},
    {"England", "GB"},
    {"Scotland", "GB"},
    {"Wales", "GB"},
    {"Northern Ireland", "GB"},
    {"United States of America", "US"},
    {"U.S.A.", "US"},
    {"U.S.", "US"},
    {"US Minor Outlying Islands", "UM"},
    {"Oriental Republic of Uruguay", "UY"},
    {"Republic of Uzbekistan", "UZ"},
    {"Venezuela (Bolivarian Republic of)", "VE"},
    {"Bolivarian Republic of Venezuela", "VE"},
    {"Vietnam", "VN"},
    {"Socialist Republic of Vietnam", "VN"},
    {"Socialist Republic of Viet Nam", "VN"},
    {"Virgin Islands, British", "VG"},
    {"BVI", "VG"},
    {"Virgin Islands, U.S.", "VI"},
    {"United States Virgin Islands", "VI"},
    {"US Virgin Islands", "VI"},
    {"Wallis and Futuna Islands", "WF"},
    {"Sahrawi Arab Democratic Republic", "EH"},
    {"Republic of Yemen", "YE"},
    {"Republic of Kosovo", "XK"},
    {"State Union of Serbia and Montenegro", "CS"},
    {"Federal Republic of Yugoslavia", "YU"},
    {"Former Yugoslavia", "YU"},
    {"ex-Yugoslavia", "YU"},
    {"Socialist Federal Republic of Yugoslavia", "YU"},
    {"USSR", "SU"},
    {"U.S.S.R.", "SU"},
    {"Former Soviet Union", "SU"},
    {"Union of Soviet Socialist Republics", "SU"},
};

// Folds the Latin-1 Supplement letters (U+00C0..U+00FF, encoded C3 80..C3
// BF) to their ASCII base letters in lower case; 0 when there is none.
char FoldLatin1(unsigned char second_byte) {
  // Indexed by second_byte - 0x80, for U+00C0..U+00FF.
  static constexpr char kFold[] =
      "aaaaaaaceeeeiiii"    // À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
      "dnooooo\0ouuuuyts"   // Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
      "aaaaaaaceeeeiiii"    // à .. ï
      "dnooooo\0ouuuuyty";  // ð .. ÿ
  if (second_byte < 0x80 || second_byte > 0xBF) return 0;
  return kFold[second_byte - 0x80];
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// The lookup key: lower-case ASCII words separated by single spaces. Accented
// Latin letters fold to their base letter, "&" counts as "and", every other
// ASCII character that is not a letter or digit separates words, and the
// words "the" and "and" are dropped (unless nothing else is left), as is
// "st" rewritten to "saint". Other non-ASCII bytes are kept as they are.
std::string LookupKey(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(std::move(word));
    word.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (IsAsciiAlnum(static_cast<char>(c))) {
        word.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
      } else if (c == '&') {
        flush();
        words.emplace_back("and");
      } else {
        flush();
      }
      continue;
    }
    if (c == 0xC3 && i + 1 < text.size()) {
      char folded = FoldLatin1(static_cast<unsigned char>(text[i + 1]));
      if (folded != 0) {
        word.push_back(folded);
        ++i;
        continue;
      }
    }
    // Typographic apostrophes and quotes (U+2018, U+2019, U+201C, U+201D)
    // separate words like their ASCII forms.
    if (c == 0xE2 && i + 2 < text.size() && text[i + 1] == '\x80') {
      auto third = static_cast<unsigned char>(text[i + 2]);
      if (third == 0x98 || third == 0x99 || third == 0x9C || third == 0x9D) {
        flush();
        i += 2;
        continue;
      }
    }
    word.push_back(static_cast<char>(c));
  }
  flush();

  std::string key;
  bool several = words.size() > 1;
  for (const std::string& w : words) {
    if (several && (w == "the" || w == "and")) continue;
    if (!key.empty()) key.push_back(' ');
    if (several && w == "st") {
      key += "saint";
    } else {
      key += w;
    }
  }
  if (key.empty()) {
    // Only "the"/"and" words: keep them rather than return nothing.
    for (const std::string& w : words) {
      if (!key.empty()) key.push_back(' ');
      key += w;
    }
  }
  return key;
}

using CodeMap = std::unordered_map<std::string, std::string_view>;

const CodeMap& KeyToCode() {
  static const CodeMap* const map = [] {
    auto* m = new CodeMap();
    m->reserve(1024);
    // Codes first, so a name can never shadow a code. try_emplace keeps the
    // first claim on a key.
    for (const CountryEntry& e : kCountries) {
      m->try_emplace(LookupKey(e.alpha2), e.alpha2);
    }
    for (const CountryEntry& e : kCountries) {
      m->try_emplace(LookupKey(e.alpha3), e.alpha2);
    }
    for (const CountryEntry& e : kCountries) {
      m->try_emplace(LookupKey(e.name), e.alpha2);
    }
    for (const Alias& a : kAliases) m->try_emplace(LookupKey(a.text), a.alpha2);
    return m;
  }();
  return *map;
}

const std::unordered_map<std::string_view, std::string_view>& CodeToName() {
  static const auto* const map = [] {
    auto* m = new std::unordered_map<std::string_view, std::string_view>();
    for (const CountryEntry& e : kCountries) m->try_emplace(e.alpha2, e.name);
    return m;
  }();
  return *map;
}

std::string_view Find(std::string_view text) {
  std::string key = LookupKey(text);
  if (key.empty()) return {};
  const CodeMap& map = KeyToCode();
  auto it = map.find(key);
  return it == map.end() ? std::string_view() : it->second;
}

}  // namespace

std::string CountryCode(std::string_view name_or_code) {
  std::string_view text = TrimAscii(name_or_code);
  if (text.empty()) return {};
  std::string_view code = Find(text);
  if (!code.empty()) return std::string(code);

  // "Region: Crimea", "Region: Gaza": OFAC names a region instead of a
  // country; resolve the region.
  constexpr std::string_view kRegion = "region:";
  if (StartsWithIgnoreCaseAscii(text, kRegion)) {
    return CountryCode(text.substr(kRegion.size()));
  }
  // "Gaza (Palestinian Authority)", "Crimea (occupied)", "Tunisi (Tunisia)":
  // try the text before the parentheses, then the text inside them.
  size_t open = text.find('(');
  if (open != std::string_view::npos) {
    size_t close = text.find(')', open);
    std::string_view before = text.substr(0, open);
    code = Find(before);
    if (!code.empty()) return std::string(code);
    std::string_view inside = text.substr(
        open + 1, close == std::string_view::npos ? std::string_view::npos : close - open - 1);
    code = Find(inside);
    if (!code.empty()) return std::string(code);
  }
  return {};
}

std::string_view CountryName(std::string_view alpha2) {
  std::string upper = ToUpperAscii(TrimAscii(alpha2));
  const auto& map = CodeToName();
  auto it = map.find(upper);
  return it == map.end() ? std::string_view() : it->second;
}

}  // namespace icts::refdata
