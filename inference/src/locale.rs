//! German and French basics: the commonest ways an agent writing in those languages
//! states a gender, an age or an origin. Deliberately narrow (a subject, a verb, a
//! hedge, a value), so they cost no precision on English text; fields in both languages
//! live in `fields`.

use crate::attribute::Attribute::{Age, Ethnicity, Gender};
use crate::guard::Tail;
use crate::pattern::Pattern;
use crate::span::head_of;

const DE_SUBJECT: &str = r"(?:\b(?:der\s+(?:bewerber|kandidat|kunde|nutzer|anrufer|mitarbeiter|verfasser)|die\s+(?:bewerberin|kandidatin|kundin|nutzerin|anruferin|mitarbeiterin|verfasserin|person)|er|sie)(?:\s+(?:auf|in|im)\s+(?:dem|der|den)\s+\p{L}+)?)";
const DE_LINK: &str = r"(?:\s+(?:ist|scheint|wirkte?|dürfte|sein\s+dürfte|hat|klingt|klang)(?:\s+wie)?)(?:\s+(?:vermutlich|wahrscheinlich|wohl|offenbar|anscheinend|offensichtlich|eher|eindeutig|sicher|etwa|ungefähr|circa|ca\.|rund|knapp))*";
const FR_SUBJECT: &str = r"(?:\b(?:(?:le|la)\s+(?:candidat|candidate|client|cliente|personne|salariée?|demandeur|demandeuse)|l['’](?:utilisat(?:eur|rice)|appelante?|employée?|auteur|autrice)|cette\s+personne|il|elle))";
const FR_HEDGE: &str = r"(?:\s+(?:probablement|sans\s+doute|vraisemblablement|apparemment|visiblement|certainement|plutôt|manifestement|environ|à\s+peu\s+près|près\s+de|autour\s+de|bien))*";
const FR_DECADE: &str = r"(?:vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|septantaine)";

pub(crate) fn patterns() -> Vec<Pattern> {
    vec![
        // "der Bewerber ist vermutlich männlich", "die Person ist wahrscheinlich eine Frau"
        Pattern::new(
            Gender,
            "stated gender label",
            &format!(r"{DE_SUBJECT}{DE_LINK}\s+(?:eine?\s+)?(?:(?:junge[rn]?|ältere[rn]?|jüngere[rn]?)\s+)?(?:frau|mann|weiblich|männlich)\b"),
        )
        .needs(&["ist", "scheint", "wirkt", "dürfte", "klang", "klingt"])
        .hedged("hedged gender label"),
        // "der Kandidat ist etwa 50 Jahre alt", "die Kundin ist wahrscheinlich über 60"
        Pattern::new(
            Age,
            "stated age",
            &format!(r"{DE_SUBJECT}{DE_LINK}\s+(?:\d{{1,2}}\s+jahre\s+alt|(?:über|unter|mitte|ende|anfang)\s+(?:[2-9]0|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig)|in\s+den\s+(?:zwanzigern|dreißigern|vierzigern|fünfzigern|sechzigern|siebzigern)|jung|älter|betagt|(?:eine?\s+)?(?:rentner(?:in)?|seniorin|teenager))\b"),
        )
        .needs(&["ist", "scheint", "wirkt", "dürfte", "hat", "klang", "klingt"])
        .hedged("hedged age")
        .check(not_a_german_noun_next),
        // "... und Mitte 40", "Ende dreißig"
        Pattern::new(
            Age,
            "age in decades",
            r"\b(?:mitte|ende|anfang)\s+(?:[2-7]0|zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig)\b",
        )
        .needs(&["mitte", "ende", "anfang"])
        .check(not_a_german_noun_next),
        Pattern::new(
            Age,
            "aged person description",
            r"\b(?:ein|eine|einen|einem|der|die|den)\s+(?:junge[rn]?|ältere[rn]?|betagte[rn]?|jüngere[rn]?)\s+(?:mann|frau|herr|dame|bewerber(?:in)?|kandidat(?:in)?|kund(?:e|in)|anrufer(?:in)?|person)\b",
        )
        .needs(&["junge", "ältere", "betagte", "jüngere"]),
        Pattern::new(
            Age,
            "aged person description",
            r"\b[1-9]\d-jährige[rnms]?\s+(?:bewerber(?:in)?|kandidat(?:in)?|kund(?:e|in)|mann|frau|person|mitarbeiter(?:in)?|anrufer(?:in)?|nutzer(?:in)?|rentner(?:in)?)\b",
        )
        .needs(&["jährige"]),
        Pattern::new(
            Age,
            "birth year",
            r"\b(?:jahrgang\s+(?:19|20)\d\d|geboren\s+(?:(?:um|ca\.|etwa|vermutlich|wahrscheinlich|im\s+jahr)\s+)*(?:19|20)\d\d)\b",
        )
        .needs(&["jahrgang", "geboren"]),
        // "hat vermutlich einen Migrationshintergrund", "türkischer Herkunft"
        Pattern::new(
            Ethnicity,
            "hedged ethnicity label",
            &format!(r"{DE_SUBJECT}{DE_LINK}\s+(?:(?:einen|einem)\s+)?(?:migrationshintergrund|\p{{L}}+(?:isch|ländisch)(?:e|er|en)?\s+(?:herkunft|abstammung|wurzeln))\b"),
        )
        .needs(&["ist", "hat", "scheint", "wirkt", "dürfte", "klang", "klingt"]),
        Pattern::new(
            Ethnicity,
            "ethnicity from evidence",
            r"\b(?:der|sein|ihr|dem|seinem|ihrem)\s+(?:name|nachname|vorname|akzent|foto|aussehen)\b[^.;\n]{0,40}?\b(?:deutet|lässt|spricht|weist|schließen|hindeutet|vermuten)\b[^.;\n]{0,40}?\b(?:herkunft|abstammung|migrationshintergrund|wurzeln)\b",
        )
        .needs(&["herkunft", "abstammung", "migrationshintergrund", "wurzeln"]),
        // "le candidat est probablement un homme", "la candidate semble être une femme"
        Pattern::new(
            Gender,
            "stated gender label",
            &format!(r"{FR_SUBJECT}\s+(?:est|semble(?:\s+être)?|paraît(?:\s+être)?|serait|doit\s+être){FR_HEDGE}\s+(?:une?\s+)?(?:(?:jeune|vieille|vieil)\s+)?(?:femme|homme|féminin|masculin)\b"),
        )
        .needs(&["femme", "homme", "féminin", "masculin"])
        .hedged("hedged gender label"),
        // "elle semble avoir une trentaine d'années", "la cliente a probablement la soixantaine"
        Pattern::new(
            Age,
            "stated age",
            &format!(r"{FR_SUBJECT}\s+(?:a|aurait|doit\s+avoir|semble\s+avoir|paraît\s+avoir){FR_HEDGE}\s+(?:[1-9]\d\s+ans|(?:la|une)\s+{FR_DECADE})\b"),
        )
        .needs(&["ans", "aine"])
        .hedged("hedged age")
        .tail(Tail::Free)
        .check(not_experience),
        Pattern::new(
            Age,
            "age in decades",
            &format!(r"\b(?:d['’]une\s+{FR_DECADE}\s+d['’]années|(?:quadra|quinqua|sexa|septua|octo)génaire|trentenaire)\b"),
        )
        .needs(&["aine", "génaire", "trentenaire"]),
        Pattern::new(
            Age,
            "birth year",
            r"\bnée?\s+(?:en|vers|autour\s+de|aux\s+alentours\s+de)\s+(?:19|20)\d\d\b",
        )
        .needs(&["né"]),
        // "le client est probablement d'origine africaine", "le nom suggère une origine maghrébine"
        Pattern::new(
            Ethnicity,
            "hedged ethnicity label",
            &format!(r"{FR_SUBJECT}\s+(?:est|semble\s+être|serait|paraît\s+être){FR_HEDGE}\s+d['’]origine\s+\p{{L}}+"),
        )
        .needs(&["origine"])
        .check(known_origin),
        Pattern::new(
            Ethnicity,
            "ethnicity from evidence",
            r"\b(?:le|son|du|sa)\s+(?:nom|patronyme|prénom|accent|physique|photo)\b[^.;\n]{0,30}?(?:\b(?:suggère|indique|laisse\s+penser|laisse\s+supposer|trahit|fait\s+penser)|évoque)[^.;\n]{0,40}?\borigine\s+\p{L}+",
        )
        .needs(&["origine"])
        .check(known_origin),
    ]
}

/// German capitalises nouns: "über 60 Minuten" is a duration, "über 60 und" an age.
fn not_a_german_noun_next(text: &str, _start: usize, end: usize) -> bool {
    let next = head_of(&text[end..], 8).trim_start();
    !next.chars().next().is_some_and(char::is_uppercase)
}

/// "a 12 ans d'expérience" is experience; "une trentaine de clients" is a count.
fn not_experience(text: &str, _start: usize, end: usize) -> bool {
    let next = head_of(&text[end..], 20).trim_start().to_lowercase();
    !(next.starts_with("d'exp") || next.starts_with("d’exp") || next.starts_with("de "))
}

fn known_origin(text: &str, start: usize, end: usize) -> bool {
    let value = text[start..end]
        .rsplit(' ')
        .next()
        .unwrap_or("")
        .to_lowercase();
    ![
        "inconnue",
        "inconnu",
        "indéterminée",
        "incertaine",
        "contrôlée",
    ]
    .contains(&value.as_str())
}

#[cfg(test)]
mod tests {
    use crate::Attribute;

    use crate::detector::attributes_in as found;

    #[test]
    fn german_basics_are_flagged() {
        use Attribute::*;
        assert_eq!(
            found("Der Bewerber ist vermutlich männlich und Mitte 40."),
            [Gender, Age]
        );
        assert_eq!(found("Der Kandidat ist etwa 50 Jahre alt."), [Age]);
        assert_eq!(
            found("Die Kundin ist wahrscheinlich über 60 und braucht Hilfe."),
            [Age]
        );
        assert_eq!(
            found("Der Name deutet auf eine türkische Herkunft hin."),
            [Ethnicity]
        );
        assert_eq!(
            found("Der Bewerber hat vermutlich einen Migrationshintergrund."),
            [Ethnicity]
        );
    }

    #[test]
    fn french_basics_are_flagged() {
        use Attribute::*;
        assert_eq!(
            found("Le candidat est probablement un homme d'une cinquantaine d'années."),
            [Gender, Age]
        );
        assert_eq!(found("La cliente a probablement la soixantaine."), [Age]);
        assert_eq!(
            found("Le client est probablement d'origine africaine."),
            [Ethnicity]
        );
        assert_eq!(found("Le nom suggère une origine maghrébine."), [Ethnicity]);
    }

    #[test]
    fn experience_counts_and_durations_are_not_flagged() {
        for text in [
            "Der Bewerber hat 10 Jahre Erfahrung im Vertrieb.",
            "La candidate a 12 ans d'expérience en comptabilité.",
            "Sie ist wahrscheinlich die beste Kandidatin für die Stelle.",
            "Die Lieferung dauert über 60 Minuten.",
            "Une quarantaine de clients ont appelé.",
            "Il a demandé un remboursement pour sa commande.",
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }
}
