//! Word lists shared by the pattern families, as regex fragments.
//!
//! Each fragment is a non-capturing group spliced into larger patterns that `pattern::compile`
//! builds case-insensitively, after rewriting `\b` to an ASCII word boundary: a Unicode `\b`
//! makes the regex crate's lazy DFA give up on any non-ASCII text (an em dash, an accent)
//! and fall back to a much slower engine. Lists hold singular forms on purpose: "a young
//! applicant" is about a person, "young applicants" is about a population.

/// Nouns an agent uses for the person it is writing about.
pub(crate) const PERSON_NOUN: &str = r"(?:candidate|applicant|customer|user|employee|person|individual|caller|client|patient|interviewee|job[\s-]?seeker|new\s+hire|hire|worker|staff\s+member|team\s+member|member|author|sender|writer|speaker|respondent|reviewer|buyer|shopper|prospect|lead|contact|account\s+(?:holder|owner)|cardholder|policyholder|subscriber|tenant|borrower|claimant|student|guest|visitor|passenger|travell?er|contractor|freelancer|consultant|engineer|developer|analyst|manager|nurse|driver|trainee|intern|nominee|requester|complainant|participant|volunteer|homeowner|decision\s+maker|owner|founder|seller|renter|learner)";

/// A person's name: one or two capitalised words, optionally with a title. Matched
/// case-sensitively, so it only fires on capitalised words; `guard::subject_ok` rejects
/// the capitalised words that start sentences without being names ("This", "Overall").
pub(crate) const NAME: &str = r"(?-i:(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+)?\p{Lu}\p{Ll}+(?:[-'’]\p{Lu}?\p{Ll}+)?(?:\s+\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)?)";

/// The grammatical subject of an attribute statement: a pronoun, a person noun with an
/// optional identifier ("Candidate B", "applicant #3"), or a name.
pub(crate) fn subject() -> String {
    format!(
        r"(?:\b(?:he|she|they)\b|\b{PERSON_NOUN}(?:\s+(?:#?\d[\w-]*|(?-i:[A-Z])(?:-?\d+)?))?\b|{NAME})"
    )
}

/// Epistemic hedges and degree words that may sit between a subject and its attribute.
pub(crate) const HEDGE: &str = r"(?:probably|likely|most\s+likely|more\s+likely|very\s+likely|highly\s+likely|quite\s+likely|presumably|possibly|perhaps|maybe|apparently|seemingly|evidently|clearly|obviously|definitely|certainly|almost\s+certainly|undoubtedly|surely|roughly|about|around|approximately|approx\.|circa|nearly|almost|just|still|already|also|quite|fairly|relatively|very|rather|somewhat|slightly|reasonably|potentially|visibly|noticeably|actually|somewhere|now|i\s+(?:think|believe|suspect|assume|guess)|i['’]d\s+(?:say|guess)|estimated\s+to\s+be|assumed\s+to\s+be|believed\s+to\s+be|thought\s+to\s+be|perceived\s+as)";

/// Hedges that mark an inference by themselves ("likely female", "probably in her 50s").
/// Degree words such as "about" are left out: "about 6 years old" is as often a server.
pub(crate) const STRONG_HEDGE: &str = r"(?:probably|likely|most\s+likely|very\s+likely|presumably|possibly|perhaps|maybe|apparently|seemingly|almost\s+certainly|i['’]d\s+(?:say|guess)|est\.|estimated|(?:looks|seems|appears)\s+(?:to\s+be|like))";

/// Verbs that can open the link between a subject and what it is taken to be. "to be",
/// "like" and "as" only follow one of these: "expect the candidate to be a woman" states a
/// preference, and "treat the user as ..." is not about who the user is.
pub(crate) const VERB: &str = r"(?:is|was|are|were|seems?|seemed|appears?|appeared|looks?|looked|sounds?|sounded|(?:comes?|came)\s+across\s+as|presents?\s+as|reads?\s+as|strikes?\s+me\s+as|might|may|could|must|would|will|should)";

/// The link between subject and attribute: hedges and verbs in any order, opened by a verb
/// ("is probably", "appears to be", "'s almost certainly", "might well be").
pub(crate) fn link() -> String {
    format!(
        r"(?:\s+{HEDGE}){{0,2}}(?:['’](?:s|re|d\s+be)|\s+{VERB})(?:\s+(?:{HEDGE}|{VERB}|be|been|being|to\s+be|like|as|well)){{0,4}}"
    )
}

/// A relative clause opening after the subject: "the caller, who I believe is elderly".
pub(crate) const WHO: &str = r"(?:\s*,?\s+who)?";

/// "the candidate, based on the CV, is ...", "the decision maker, Mr. Sato, is ...".
pub(crate) const APPOSITION: &str = r"(?:\s*,[^,;:!?\n]{1,60},)?";

/// A first predicate and a conjunction, for the attribute stated second: "is clearly
/// male and around 40 years old", "is probably Russian and female".
pub(crate) const COORDINATION: &str = r"(?:\s+[\w'’-]+){1,5}?(?:\s*,)?\s+(?:and|but)";

pub(crate) const GENDER_NOUN: &str = r"(?:woman|man|lady|gentleman|girl|boy|guy|gal|female|male|non-?binary|transgender|trans\s+(?:woman|man))";

/// Adjectives that state an age group.
pub(crate) const AGE_ADJ: &str = r"(?:young|younger|youngish|older|elderly|aged|middle[\s-]aged|teenage|teenaged|teen|adolescent|geriatric|retired|\d{1,2}[\s-]years?[\s-]old|\d{1,2}-year-old|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|[2-9]0)-?something)";

/// Nouns that can only name a person of an age group.
pub(crate) const AGE_NOUN: &str = r"(?:senior\s+citizen|pensioner|retiree|teenager|octogenarian|nonagenarian|septuagenarian|sexagenarian|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|[2-9]0)-?something|older\s+worker|young\s+(?:mother|father|mum|mom|dad|parent|professional|graduate|person|adult))";

/// Age-group words that are also adjectives elsewhere ("a minor issue", "a millennial
/// trend"): they must end their phrase.
pub(crate) const GENERATION: &str =
    r"(?:minor|millennial|(?:baby\s+)?boomer|gen[\s-]?(?:z|x|y|alpha)(?:er)?|zoomer|teen)";

/// Decades of life: "30s", "'40s", "thirties", "teens".
pub(crate) const DECADE: &str = r"(?:['’]?[1-9]0['’]?s|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties|teens)";

/// "early 30s", "mid-forties", "late 50s", "mid-to-late 40s".
pub(crate) fn decade_phrase() -> String {
    format!(r"(?:(?:early|mid|late|mid-to-late|early-to-mid|high|low)[\s-]*{DECADE})")
}

/// An age in years, 16-99: ages below that are children, and numbers below 16 in agent
/// output are far more often counts ("is 5 minutes away").
pub(crate) const ADULT_AGE: &str = r"(?:1[6-9]|[2-9]\d)";

/// Ethnic and racial groups, without the colour words (see [`ethnic_in_frame`]). Kept
/// apart from nationalities because they may stand on their own ("likely Hispanic"),
/// where "likely German" is as often about a document's language.
pub(crate) const ETHNIC_GROUP: &str = r"(?:hispanic|latin[oa]|latinx|latine|(?:east|south|south-?east|central|west)?[\s-]?asian(?:[\s-]american)?|caucasian|african[\s-]american|afro[\s-](?:caribbean|latin[oa]|american)|arab|middle[\s-]eastern|north\s+african|sub-saharan(?:\s+african)?|(?:west|east)\s+african|jewish|native\s+american|american\s+indian|indigenous|aboriginal|first\s+nations|pacific\s+islander|native\s+hawaiian|alaska(?:n)?\s+native|bi-?racial|multi-?racial|mixed[\s-]race|roma|romani|slavic|eastern\s+european|latin\s+american|desi|mestizo|inuit|m[aā]ori|persian|kurdish|person\s+of\s+colou?r|bame|ethnic\s+minority|anglo(?:-saxon)?|scandinavian|nordic|caribbean|african|european)";

/// Nationalities (national origin). Also the names of languages, so they only count in
/// frames that are about a person, never as "speaks Spanish".
pub(crate) const NATIONALITY: &str = r"(?:mexican|puerto\s+rican|cuban|dominican|colombian|venezuelan|peruvian|chilean|argentin(?:e|ian)|brazilian|salvadoran|guatemalan|honduran|ecuadorian|haitian|jamaican|chinese|taiwanese|japanese|korean|vietnamese|filipin[oa]|thai|indonesian|malaysian|cambodian|indian|pakistani|bangladeshi|sri\s+lankan|nepal(?:i|ese)|afghan|iranian|iraqi|syrian|lebanese|jordanian|palestinian|israeli|saudi|yemeni|egyptian|moroccan|algerian|tunisian|turkish|armenian|nigerian|ghanaian|kenyan|ethiopian|eritrean|somali|sudanese|ugandan|congolese|cameroonian|senegalese|south\s+african|zimbabwean|polish|russian|ukrainian|romanian|bulgarian|serbian|croatian|bosnian|albanian|hungarian|czech|greek|italian|spanish|portuguese|irish|scottish|welsh|british|french|german|dutch|swedish|norwegian|danish|finnish)";

/// Any ethnic group or nationality, for frames already about a person ("she appears to
/// be ..."), where "black" and "white" can only mean race.
pub(crate) fn ethnic_in_frame() -> String {
    format!(r"(?:(?:{ETHNIC_GROUP}|black|white|{NATIONALITY})(?:[\s-]american)?)")
}

/// Ethnic groups and hyphenated origins for phrases with no person in them ("likely
/// Hispanic", "probably Mexican-American"). "Black" and "White" count only capitalised
/// here, as race is written: "the cable is probably black" is about a cable.
pub(crate) fn ethnic_standalone() -> String {
    format!(r"(?:{ETHNIC_GROUP}|(?-i:Black|White)|{NATIONALITY}[\s-]american)")
}

/// Groups and nationalities after indirect evidence ("the name suggests Polish ...").
pub(crate) fn ethnic_in_evidence() -> String {
    format!(r"(?:(?:{ETHNIC_GROUP}|(?-i:Black|White)|{NATIONALITY})(?:[\s-]american)?)")
}

/// Countries and regions for "probably from Brazil" after indirect evidence.
pub(crate) const ORIGIN_PLACE: &str = r"(?:(?:west|east|north|south|central|southern|northern|sub-saharan)\s+africa|south(?:-?east)?\s+asia|mexico|puerto\s+rico|cuba|colombia|venezuela|peru|brazil|el\s+salvador|guatemala|honduras|haiti|jamaica|china|japan|korea|vietnam|the\s+philippines|thailand|indonesia|india|pakistan|bangladesh|sri\s+lanka|nepal|afghanistan|iran|iraq|syria|lebanon|egypt|morocco|algeria|tunisia|turkey|nigeria|ghana|kenya|ethiopia|eritrea|somalia|sudan|uganda|congo|senegal|cameroon|poland|russia|ukraine|romania|albania|africa|asia|latin\s+america|south\s+america|central\s+america|the\s+middle\s+east|eastern\s+europe|the\s+caribbean|overseas|abroad)";

/// What descent is expressed with: "of Polish descent", "Vietnamese heritage".
pub(crate) const DESCENT: &str =
    r"(?:descent|origins?|heritage|extraction|ancestry|background|roots|lineage|stock)";

/// "of Asian descent", "of mixed race", "of Nigerian origin".
pub(crate) fn descent_phrase() -> String {
    let any = ethnic_in_frame();
    format!(
        r"(?:of\s+(?:{any}|mixed|foreign|immigrant)\s+{DESCENT}|of\s+mixed\s+(?:race|ethnicity|heritage))"
    )
}

/// Evidence an agent infers attributes from.
pub(crate) const EVIDENCE: &str = r"(?:(?:first|last|family|given|full|maiden)\s+name|surname|name|accent|photo(?:graph)?|picture|headshot|profile\s+(?:photo|picture|pic|image)|avatar|selfie|video(?:\s+call)?|appearance|looks|skin(?:\s+(?:tone|colou?r))?|complexion|facial\s+features|voice|dialect|pronunciation|writing(?:\s+style)?|tone|username|handle|graduation\s+(?:year|date)|year\s+of\s+graduation|career\s+(?:start|history|length)|work\s+history|employment\s+history|birth\s+year)";

/// Owners of evidence: "the name", "her accent", "the applicant's photo".
pub(crate) fn evidence_owner() -> String {
    format!(r"(?:(?:the|his|her|their|this|that)\s+|(?:{PERSON_NOUN}|{NAME})['’]s?\s+)")
}
