/**
 * The reference product's RFC 5646 conversion table, as published with its `rfc5646` operation: a
 * three-letter language abbreviation or a language name (with an optional country) on the left, the
 * tag it yields on the right. The tags are Java `Locale` strings, so legacy codes (`iw`, `in`, `ji`) and
 * `_` separators are kept as published. One `key|tag` pair a line, parsed once on first use.
 */
export const RFC5646_TABLE = `
AAR|aa
ABK|ab
AFR|af
AKA|ak
AMH|am
ARA|ar
ARG|an
ASM|as
AVA|av
AVE|ae
AYM|ay
AZE|az
Afrikaans|af
Afrikaans (South Africa)|af_ZA
Albanian|sq
Albanian (Albania)|sq_AL
Arabic|ar
Arabic (Algeria)|ar_DZ
Arabic (Bahrain)|ar_BH
Arabic (Egypt)|ar_EG
Arabic (Iraq)|ar_IQ
Arabic (Jordan)|ar_JO
Arabic (Kuwait)|ar_KW
Arabic (Lebanon)|ar_LB
Arabic (Libya)|ar_LY
Arabic (Morocco)|ar_MA
Arabic (Oman)|ar_OM
Arabic (Qatar)|ar_QA
Arabic (Saudi Arabia)|ar_SA
Arabic (Syria)|ar_SY
Arabic (Tunisia)|ar_TN
Arabic (U.A.E.)|ar_AE
Arabic (Yemen)|ar_YE
Armenian|hy
Armenian (Armenia)|hy_AM
Azeri (Cyrillic) (Azerbaijan)|az_AZ_#Cyrl
Azeri (Latin)|az
Azeri (Latin) (Azerbaijan)|az_AZ
BAK|ba
BAM|bm
BEL|be
BEN|bn
BIH|bh
BIS|bi
BOD|bo
BOS|bs
BRE|br
BUL|bg
Basque|eu
Basque (Spain)|eu_ES
Belarusian|be
Belarusian (Belarus)|be_BY
Bosnian (Bosnia and Herzegovina)|bs_BA
Bulgarian|bg
Bulgarian (Bulgaria)|bg_BG
CAT|ca
CES|cs
CHA|ch
CHE|ce
CHU|cu
CHV|cv
COR|kw
COS|co
CRE|cr
CYM|cy
Catalan|ca
Catalan (Spain)|ca_ES
Chinese|zh
Chinese (Hong Kong)|zh_HK
Chinese (Macau)|zh_MO
Chinese (S)|zh_CN
Chinese (Singapore)|zh_SG
Chinese (T)|zh_TW
Croatian|hr
Croatian (Bosnia and Herzegovina)|hr_BA
Croatian (Croatia)|hr_HR
Czech|cs
Czech (Czech Republic)|cs_CZ
DAN|da
DEU|de
DIV|dv
DZO|dz
Danish|da
Danish (Denmark)|da_DK
Divehi|dv
Divehi (Maldives)|dv_MV
Dutch|nl
Dutch (Belgium)|nl_BE
Dutch (Netherlands)|nl_NL
ELL|el
ENG|en
EPO|eo
EST|et
EUS|eu
EWE|ee
English|en
English (Australia)|en_AU
English (Belize)|en_BZ
English (Canada)|en_CA
English (Caribbean)|en_CB
English (Ireland)|en_IE
English (Jamaica)|en_JM
English (New Zealand)|en_NZ
English (Republic of the Philippines)|en_PH
English (South Africa)|en_ZA
English (Trinidad and Tobago)|en_TT
English (United Kingdom)|en_GB
English (United States)|en_US
English (Zimbabwe)|en_ZW
Esperanto|eo
Estonian|et
Estonian (Estonia)|et_EE
FAO|fo
FAS|fa
FIJ|fj
FIN|fi
FRA|fr
FRY|fy
FUL|ff
FYRO Macedonian|mk
FYRO Macedonian (Former Yugoslav Republic of Macedonia)|mk_MK
Faroese|fo
Faroese (Faroe Islands)|fo_FO
Farsi|fa
Farsi (Iran)|fa_IR
Finnish|fi
Finnish (Finland)|fi_FI
French|fr
French (Belgium)|fr_BE
French (Canada)|fr_CA
French (France)|fr_FR
French (Luxembourg)|fr_LU
French (Principality of Monaco)|fr_MC
French (Switzerland)|fr_CH
GLA|gd
GLE|ga
GLG|gl
GLV|gv
GRN|gn
GUJ|gu
Galician|gl
Galician (Spain)|gl_ES
Georgian|ka
Georgian (Georgia)|ka_GE
German|de
German (Austria)|de_AT
German (Germany)|de_DE
German (Liechtenstein)|de_LI
German (Luxembourg)|de_LU
German (Switzerland)|de_CH
Greek|el
Greek (Greece)|el_GR
Gujarati|gu
Gujarati (India)|gu_IN
HAT|ht
HAU|ha
HEB|iw
HER|hz
HIN|hi
HMO|ho
HRV|hr
HUN|hu
HYE|hy
Hebrew|iw
Hebrew (Israel)|iw_IL
Hindi|hi
Hindi (India)|hi_IN
Hungarian|hu
Hungarian (Hungary)|hu_HU
IBO|ig
IDO|io
III|ii
IKU|iu
ILE|ie
INA|ia
IND|in
IPK|ik
ISL|is
ITA|it
Icelandic|is
Icelandic (Iceland)|is_IS
Indonesian|in
Indonesian (Indonesia)|in_ID
Italian|it
Italian (Italy)|it_IT
Italian (Switzerland)|it_CH
JAV|jv
JPN|ja
Japanese|ja
Japanese (Japan)|ja_JP
KAL|kl
KAN|kn
KAS|ks
KAT|ka
KAU|kr
KAZ|kk
KHM|km
KIK|ki
KIN|rw
KIR|ky
KOM|kv
KON|kg
KOR|ko
KUA|kj
KUR|ku
Kannada|kn
Kannada (India)|kn_IN
Kazakh|kk
Kazakh (Kazakhstan)|kk_KZ
Konkani|kok
Konkani (India)|kok_IN
Korean|ko
Korean (Korea)|ko_KR
Kyrgyz|ky
Kyrgyz (Kyrgyzstan)|ky_KG
LAO|lo
LAT|la
LAV|lv
LIM|li
LIN|ln
LIT|lt
LTZ|lb
LUB|lu
LUG|lg
Latvian|lv
Latvian (Latvia)|lv_LV
Lithuanian|lt
Lithuanian (Lithuania)|lt_LT
MAH|mh
MAL|ml
MAR|mr
MKD|mk
MLG|mg
MLT|mt
MOL|mo
MON|mn
MRI|mi
MSA|ms
MYA|my
Malay|ms
Malay (Brunei Darussalam)|ms_BN
Malay (Malaysia)|ms_MY
Maltese|mt
Maltese (Malta)|mt_MT
Maori|mi
Maori (New Zealand)|mi_NZ
Marathi|mr
Marathi (India)|mr_IN
Mongolian|mn
Mongolian (Mongolia)|mn_MN
NAU|na
NAV|nv
NBL|nr
NDE|nd
NDO|ng
NEP|ne
NLD|nl
NNO|nn
NOB|nb
NOR|no
NYA|ny
Northern Sotho|ns
Northern Sotho (South Africa)|ns_ZA
Norwegian (Bokmål)|nb
Norwegian (Bokmål) (Norway)|nb_NO
Norwegian (Nynorsk) (Norway)|nn_NO
OCI|oc
OJI|oj
ORI|or
ORM|om
OSS|os
PAN|pa
PLI|pi
POL|pl
POR|pt
PUS|ps
Pashto|ps
Pashto (Afghanistan)|ps_AR
Polish|pl
Polish (Poland)|pl_PL
Portuguese|pt
Portuguese (Brazil)|pt_BR
Portuguese (Portugal)|pt_PT
Punjabi|pa
Punjabi (India)|pa_IN
QUE|qu
Quechua|qu
Quechua (Bolivia)|qu_BO
Quechua (Ecuador)|qu_EC
Quechua (Peru)|qu_PE
ROH|rm
RON|ro
RUN|rn
RUS|ru
Romanian|ro
Romanian (Romania)|ro_RO
Russian|ru
Russian (Russia)|ru_RU
SAG|sg
SAN|sa
SIN|si
SLK|sk
SLV|sl
SME|se
SMO|sm
SNA|sn
SND|sd
SOM|so
SOT|st
SPA|es
SQI|sq
SRD|sc
SRP|sr
SSW|ss
SUN|su
SWA|sw
SWE|sv
Sami|se
Sami (Finland)|se_FI
Sami (Norway)|se_NO
Sami (Sweden)|se_SE
Sanskrit|sa
Sanskrit (India)|sa_IN
Serbian (Cyrillic) (Bosnia and Herzegovina)|sr_BA_#Cyrl
Serbian (Cyrillic) (Serbia and Montenegro)|sr_SP_#Cyrl
Serbian (Latin) (Bosnia and Herzegovina)|sr_BA
Serbian (Latin) (Serbia and Montenegro)|sr_SP
Slovak|sk
Slovak (Slovakia)|sk_SK
Slovenian|sl
Slovenian (Slovenia)|sl_SI
Spanish|es
Spanish (Argentina)|es_AR
Spanish (Bolivia)|es_BO
Spanish (Chile)|es_CL
Spanish (Colombia)|es_CO
Spanish (Costa Rica)|es_CR
Spanish (Dominican Republic)|es_DO
Spanish (Ecuador)|es_EC
Spanish (El Salvador)|es_SV
Spanish (Guatemala)|es_GT
Spanish (Honduras)|es_HN
Spanish (Mexico)|es_MX
Spanish (Nicaragua)|es_NI
Spanish (Panama)|es_PA
Spanish (Paraguay)|es_PY
Spanish (Peru)|es_PE
Spanish (Puerto Rico)|es_PR
Spanish (Spain)|es_ES
Spanish (Uruguay)|es_UY
Spanish (Venezuela)|es_VE
Swahili|sw
Swahili (Kenya)|sw_KE
Swedish|sv
Swedish (Finland)|sv_FI
Swedish (Sweden)|sv_SE
Syriac|syr
Syriac (Syria)|syr_SY
TAH|ty
TAM|ta
TAT|tt
TEL|te
TGK|tg
TGL|tl
THA|th
TIR|ti
TON|to
TSN|tn
TSO|ts
TUK|tk
TUR|tr
TWI|tw
Tagalog|tl
Tagalog (Philippines)|tl_PH
Tamil|ta
Tamil (India)|ta_IN
Tatar|tt
Tatar (Russia)|tt_RU
Telugu|te
Telugu (India)|te_IN
Thai|th
Thai (Thailand)|th_TH
Tsonga|ts
Tswana|tn
Tswana (South Africa)|tn_ZA
Turkish|tr
Turkish (Turkey)|tr_TR
UIG|ug
UKR|uk
URD|ur
UZB|uz
Ukrainian|uk
Ukrainian (Ukraine)|uk_UA
Urdu|ur
Urdu (Islamic Republic of Pakistan)|ur_PK
Uzbek (Cyrillic) (Uzbekistan)|uz_UZ_#Cyrl
Uzbek (Latin)|uz
Uzbek (Latin) (Uzbekistan)|uz_UZ
VEN|ve
VIE|vi
VOL|vo
Vietnamese|vi
Vietnamese (Viet Nam)|vi_VN
WLN|wa
WOL|wo
Welsh|cy
Welsh (United Kingdom)|cy_GB
XHO|xh
Xhosa|xh
Xhosa (South Africa)|xh_ZA
YID|ji
YOR|yo
ZHA|za
ZHO|zh
ZUL|zu
Zulu|zu
Zulu (South Africa)|zu_ZA
`
