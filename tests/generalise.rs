//! The rules on articles written for these tests about other deals, countries and people, in the
//! other input formats (Markdown, HTML, JSON Lines): nothing here is in the seed corpus.

mod common;

use common::{ask, data, extract, select, store_of};
use std::sync::OnceLock;

fn store() -> &'static oxigraph::store::Store {
    static STORE: OnceLock<oxigraph::store::Store> = OnceLock::new();
    STORE.get_or_init(|| store_of(&extract(&[data("articles")])))
}

fn parties_agree(codes: &[&str]) -> bool {
    let patterns: Vec<String> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| format!(r#"?a dg:party ?p{i} . ?p{i} dg:iso3166Alpha2 "{code}" ."#))
        .collect();
    ask(
        store(),
        &format!("ASK {{ ?a a dg:Agreement . {} }}", patterns.join(" ")),
    )
}

/// Every official with the title and the place ("" if none) of each post.
fn official_posts() -> Vec<Vec<String>> {
    posts_in(store())
}

/// Every official of a graph with the title and the place ("" if none) of each post.
fn posts_in(store: &oxigraph::store::Store) -> Vec<Vec<String>> {
    select(
        store,
        "SELECT ?name ?title ?where WHERE { ?o a dg:Official ; rdfs:label ?name ; org:holds ?p . ?p rdfs:label ?title .
           OPTIONAL { ?p org:postIn/rdfs:label ?where } }",
    )
}

/// Whether `official_posts` rows have this official holding this title in this place.
fn holds(rows: &[Vec<String>], name: &str, title: &str, place: &str) -> bool {
    rows.iter()
        .any(|r| r[0] == name && r[1] == title && r[2] == place)
}

#[test]
fn agreements_between_other_countries() {
    assert!(parties_agree(&["EG", "SD"]), "Egypt–Sudan pact");
    assert!(parties_agree(&["CL", "PE"]), "Chile–Peru lease");
    assert!(parties_agree(&["TR", "UA"]), "Ukraine–Turkey accord");
}

#[test]
fn officials_of_other_countries_with_their_posts() {
    let rows = official_posts();
    let has = |name: &str, title: &str, place: &str| holds(&rows, name, title, place);
    assert!(
        has("Sameh Shoukry", "Foreign Minister", "Egypt"),
        "{rows:?}"
    );
    assert!(
        has("Ana Lucía Ferreyra", "Trade Minister", "Peru"),
        "{rows:?}"
    );
    assert!(has("William Ruto", "President", "Kenya"), "{rows:?}");
    assert!(
        has("António Guterres", "Secretary-General", "United Nations"),
        "{rows:?}"
    );
    assert!(
        has(
            "Dina Mufti",
            "Spokesman",
            "Ethiopian Ministry of Foreign Affairs"
        ),
        "{rows:?}"
    );
}

#[test]
fn surnames_alone_join_the_full_name() {
    assert!(ask(
        store(),
        r#"ASK { ?p rdfs:label "Sameh Shoukry" . ?m itsrdf:taIdentRef ?p ; nif:anchorOf "Shoukry" ; dg:mentionKind "partial_name" }"#
    ));
    assert!(ask(
        store(),
        r#"ASK { ?p rdfs:label "Ana Lucía Ferreyra" ; skos:altLabel "Ferreyra" }"#
    ));
}

#[test]
fn organisations_by_gazetteer_head_word_and_acronym() {
    assert!(ask(
        store(),
        r#"ASK { ?o a dg:Organisation, dg:InternationalBody ; rdfs:label "African Union" ; skos:altLabel "AU" }"#
    ));
    assert!(ask(
        store(),
        r#"ASK { ?o a dg:Organisation ; rdfs:label "Andean Trade Council" }"#
    ));
    assert!(ask(
        store(),
        r#"ASK { ?o a dg:GovernmentBody ; rdfs:label "Government of Chile" }"#
    ));
    assert!(ask(
        store(),
        r#"ASK { ?o a dg:Organisation ; rdfs:label "World Food Programme" ; dg:mentionedIn ?d }"#
    ));
}

#[test]
fn metadata_from_each_format() {
    let rows = select(
        store(),
        "SELECT ?format ?title ?issued WHERE { ?d a schema:NewsArticle ; dg:sourceFormat ?format . OPTIONAL { ?d dcterms:title ?title } OPTIONAL { ?d dcterms:issued ?issued } } ORDER BY ?format ?title",
    );
    assert!(
        rows.contains(&vec![
            "html".into(),
            "Chile and Peru agree port lease".into(),
            "2024-09-02T09:15:00+02:00".into()
        ]),
        "{rows:?}"
    );
    assert!(
        rows.contains(&vec![
            "markdown".into(),
            "Egypt and Sudan sign Nile water pact".into(),
            "2023-03-14".into()
        ]),
        "{rows:?}"
    );
    assert!(
        rows.contains(&vec![
            "jsonl".into(),
            "Ukraine and Turkey agree grain corridor".into(),
            "2022-07-22".into()
        ]),
        "{rows:?}"
    );
    assert!(ask(
        store(),
        r#"ASK { ?d dcterms:identifier "wire-2022-0712" ; schema:url ?u }"#
    ));
}

#[test]
fn clutter_and_captions_in_html_and_markdown() {
    for rule in [
        "share-buttons",
        "reading-time",
        "view-count",
        "markdown-image",
    ] {
        assert!(
            ask(
                store(),
                &format!(r#"ASK {{ ?z a dg:Clutter ; dg:zoneRule "{rule}" }}"#)
            ),
            "{rule}"
        );
    }
    assert!(ask(
        store(),
        r#"ASK { ?z a dg:Caption ; dg:zoneRule "html-figcaption" ; nif:anchorOf ?t FILTER(STRSTARTS(?t, "Cranes at the port")) }"#
    ));
    assert!(ask(
        store(),
        r#"ASK { ?z a dg:Caption ; nif:anchorOf "Foreign ministers at the signing in Khartoum" }"#
    ));
}

#[test]
fn every_country_is_found_by_its_name_in_a_sentence() {
    use dealgraph::extract::{EntityClass, Reference};
    use dealgraph::ingest::Document;
    let reference = Reference::embedded().expect("reference");
    let extractor = dealgraph::Extractor::new().expect("extractor");
    let mut missed = Vec::new();
    for country in &reference.countries {
        let text = format!(
            "Officials said {} signed the treaty on Monday.",
            country.name
        );
        let document = Document::from_text(&country.code, &text);
        let extraction = extractor.extract(document);
        let found = extraction.entities.iter().any(|e| {
            e.class == EntityClass::Country && e.code.as_deref() == Some(country.code.as_str())
        });
        if !found {
            missed.push(country.name.clone());
        }
    }
    assert!(missed.is_empty(), "not found: {missed:?}");
    assert!(reference.countries.len() >= 250);
}

#[test]
fn locations_that_are_not_countries_are_places() {
    for place in ["Khartoum", "Arica"] {
        assert!(
            ask(
                store(),
                &format!(
                    r#"ASK {{ ?p a schema:Place ; rdfs:label "{place}" ; dg:mentionedIn ?d }}"#
                )
            ),
            "{place}"
        );
    }
    assert!(!ask(
        store(),
        r#"ASK { ?p a schema:Place ; rdfs:label ?l FILTER(?l IN ("Egypt", "Chile", "Peru", "Sudan")) }"#
    ));
}

#[test]
fn agreements_carry_their_duration_and_state() {
    for (codes, duration, status) in [
        (["EG", "SD"], "P10Y", "dg:Signed"),
        (["CL", "PE"], "P25Y", "dg:Agreed"),
    ] {
        let query = format!(
            r#"ASK {{ ?a a dg:Agreement ; dg:party ?x, ?y ; dg:duration "{duration}"^^xsd:duration ; dg:status {status} .
                     ?x dg:iso3166Alpha2 "{}" . ?y dg:iso3166Alpha2 "{}" }}"#,
            codes[0], codes[1]
        );
        assert!(ask(store(), &query), "{codes:?} {duration} {status}");
    }
    // Each attribute is a claim of its article, with its evidence.
    assert!(ask(
        store(),
        r#"ASK { GRAPH ?doc { ?c a dg:Claim ; rdf:predicate dg:duration ; rdf:object "P25Y"^^xsd:duration ; dg:evidence/nif:anchorOf "for 25 years" } }"#
    ));
}

#[test]
fn quotations_are_tied_to_their_speakers() {
    for (speaker, start) in [
        ("Sameh Shoukry", "This agreement protects"),
        ("Ana Lucía Ferreyra", "The lease gives our exporters"),
    ] {
        let query = format!(
            r#"ASK {{ ?s rdfs:label "{speaker}" ; dg:quoted ?q . ?q a schema:Quotation ; schema:creator ?s ; schema:text ?t
                     FILTER(STRSTARTS(?t, "{start}"))
                     ?c rdf:object ?q ; prov:wasDerivedFrom ?doc ; dg:evidence/nif:anchorOf ?t }}"#
        );
        assert!(ask(store(), &query), "{speaker}");
    }
}

#[test]
fn bodies_named_after_people_aliases_seats_and_references() {
    for query in [
        r#"ASK { ?o a dg:GovernmentBody ; rdfs:label "Haugland government" }"#,
        r#"ASK { ?o a dg:Organisation ; rdfs:label "Nordic Fisheries Council" ; skos:altLabel "Nordfisk" }"#,
        r#"ASK { ?o a dg:GovernmentBody ; rdfs:label "Kremlin" }"#,
        r#"ASK { ?o rdfs:label "Government of Iceland" ; skos:altLabel "the caretaker government" }"#,
        r#"ASK { ?o rdfs:label "Arctic Ocean Watch" . ?m itsrdf:taIdentRef ?o ; nif:anchorOf "the group" ; dg:mentionKind "reference" }"#,
    ] {
        assert!(ask(store(), query), "{query}");
    }
    // "OSLO —" is a dateline, and the Gulf of Guinea is not Guinea.
    assert!(!ask(
        store(),
        r#"ASK { ?o a dg:Organisation ; rdfs:label "OSLO" }"#
    ));
    assert!(!ask(store(), r#"ASK { ?c dg:iso3166Alpha2 "GN" }"#));
}

#[test]
fn offices_behind_honorifics_and_portfolios_and_without_a_stated_country() {
    let rows = official_posts();
    let has = |name: &str, title: &str, place: &str| holds(&rows, name, title, place);
    assert!(
        has("Ingrid Solvang", "Fisheries Minister", "Norway"),
        "{rows:?}"
    );
    assert!(has("Gunnar Eiriksson", "Minister", "Iceland"), "{rows:?}");
    assert!(
        has("Sigrun Dahl", "Researcher", "Arctic Ocean Watch"),
        "{rows:?}"
    );
}

#[test]
fn the_owner_of_a_deal_is_a_party_and_the_owner_of_a_company_is_not() {
    assert!(
        parties_agree(&["NO", "FO"]),
        "Norway's memorandum with the Faroes"
    );
    assert!(!parties_agree(&["IS", "DE"]), "talks with a German company");
}

/// The distinct (sender, host) country codes the claims of one sentence give, in claim order.
fn directions(text: &str) -> Vec<(String, String)> {
    use dealgraph::extract::{ClaimValue, Predicate};
    let extractor = dealgraph::Extractor::new().expect("extractor");
    let extraction = extractor.extract(dealgraph::Document::from_text("direction", text));
    let code_of = |predicate: Predicate| -> Vec<String> {
        extraction
            .claims
            .iter()
            .filter(|c| c.predicate == predicate)
            .filter_map(|c| match &c.value {
                ClaimValue::Entity(id) => extraction
                    .entities
                    .iter()
                    .find(|e| &e.id == id)
                    .and_then(|e| e.code.clone()),
                _ => None,
            })
            .collect()
    };
    let mut pairs: Vec<(String, String)> = code_of(Predicate::Sender)
        .into_iter()
        .zip(code_of(Predicate::Host))
        .collect();
    pairs.dedup();
    pairs
}

#[test]
fn senders_and_hosts_where_the_text_says_who_sends() {
    let pair = |sender: &str, host: &str| vec![(sender.to_string(), host.to_string())];
    assert_eq!(
        directions("Chile agreed to accept up to 200 migrants deported from Peru under the deal."),
        pair("PE", "CL")
    );
    assert_eq!(
        directions("Under the agreement, Norway will send rejected asylum seekers to Ghana."),
        pair("NO", "GH")
    );
    // Cells leased to a country say nothing about who sends whom.
    assert!(directions("Chile signed an agreement leasing 100 prison cells to Peru.").is_empty());
}

#[test]
fn agreements_with_each_country_of_a_list_and_none_among_plural_signers() {
    for partner in ["FJ", "WS", "TO"] {
        assert!(parties_agree(&["NZ", partner]), "New Zealand and {partner}");
    }
    // "Fiji and Samoa are signing agreements": each signs its own.
    assert!(!parties_agree(&["FJ", "WS"]));
    // "The Marsh government ... signed a memorandum with Vanuatu": the government named after the
    // prime minister is New Zealand's.
    assert!(parties_agree(&["NZ", "VU"]));
}

#[test]
fn administrations_named_after_people_their_heads_and_their_staff() {
    let rows = official_posts();
    let has = |name: &str, title: &str, place: &str| holds(&rows, name, title, place);
    assert!(
        has("Helen Marsh", "Prime Minister", "New Zealand"),
        "{rows:?}"
    );
    assert!(has("Tom Reid", "Spokesman", "Marsh government"), "{rows:?}");
    // The head of an administration the text names only after them, placed where the document's
    // other country offices are.
    assert!(
        has("Collins", "Head of Government", "New Zealand"),
        "{rows:?}"
    );
    assert!(ask(
        store(),
        r#"ASK { ?o a dg:GovernmentBody ; rdfs:label "Marsh administration" . ?m itsrdf:taIdentRef ?o ; nif:anchorOf "her administration" }"#
    ));
}

#[test]
fn regions_and_legal_statuses_are_not_organisations() {
    for label in ["Western Europe", "Temporary Seasonal Status", "TSS"] {
        let query = format!(r#"ASK {{ ?o a dg:Organisation ; rdfs:label "{label}" }}"#);
        assert!(!ask(store(), &query), "{label}");
    }
}

/// The graph of short texts, each an article of its own.
fn store_of_texts(texts: &[(&str, &str)]) -> oxigraph::store::Store {
    let extractor = dealgraph::Extractor::new().expect("extractor");
    let extractions: Vec<_> = texts
        .iter()
        .map(|(id, text)| extractor.extract(dealgraph::Document::from_text(id, text)))
        .collect();
    store_of(&extractions)
}

/// The number of agreements between Ghana and Togo in a graph, and the years stated for them.
fn ghana_togo_deals(store: &oxigraph::store::Store) -> Vec<Vec<String>> {
    select(
        store,
        r#"SELECT ?a (GROUP_CONCAT(DISTINCT STR(?year); separator=",") AS ?years) WHERE {
             ?a a dg:Agreement ; dg:party ?g, ?t .
             ?g dg:iso3166Alpha2 "GH" . ?t dg:iso3166Alpha2 "TG" .
             OPTIONAL { ?a dg:year ?year } } GROUP BY ?a ORDER BY ?years"#,
    )
}

#[test]
fn a_deal_set_apart_from_another_between_the_same_parties_is_its_own() {
    let first =
        "Ghana signed an agreement with Togo on Monday to take in up to 300 farm workers a \
                 year. Ghana has trained Togolese border guards since 2016 under a separate \
                 memorandum of understanding with Togo, which remains in force. Officials in Accra \
                 said Ghana had earlier agreed with Togo to share customs data.";
    let second = "Farmers welcomed the agreement between Ghana and Togo on seasonal workers. Ghana \
                  and Togo also keep another memorandum, signed in 2016, on training border guards.";
    let one = store_of_texts(&[("first", first)]);
    let deals = ghana_togo_deals(&one);
    // The main deal and the memorandum; "had earlier agreed" (an adverb) sets nothing apart.
    assert_eq!(deals.len(), 2, "{deals:?}");
    assert!(deals.iter().any(|d| d[1] == "2016"), "{deals:?}");
    // Across articles, each deal joins its own: the main deals by their parties, the memoranda by
    // the year both state.
    let both = store_of_texts(&[("first", first), ("second", second)]);
    let deals = ghana_togo_deals(&both);
    assert_eq!(deals.len(), 2, "{deals:?}");
}

#[test]
fn an_official_named_bare_in_one_article_is_scored_with_the_office_another_gives() {
    use dealgraph::eval::{evaluate, Scope};
    let extractor = dealgraph::Extractor::new().expect("extractor");
    let extractions = vec![
        extractor.extract(dealgraph::Document::from_text(
            "stated.txt",
            "Ghanaian Health Minister Kofi Mensah said the clinics would open in May.",
        )),
        extractor.extract(dealgraph::Document::from_text(
            "bare.txt",
            "\"We will keep our word to every district,\" Kofi Mensah told reporters in Accra.",
        )),
    ];
    let gold = tempfile::tempdir().expect("temporary folder");
    let official =
        r#"{"name": "Kofi Mensah", "roles": [{"title": "Health Minister", "of": "Ghana"}]}"#;
    for (stem, countries) in [("stated", r#"[{"name": "Ghana"}]"#), ("bare", "[]")] {
        std::fs::write(
            gold.path().join(format!("{stem}.json")),
            format!(
                r#"{{"countries": {countries}, "officials": [{official}], "organisations": [], "agreements": []}}"#
            ),
        )
        .expect("gold written");
    }
    let scored = |scope| {
        let evaluation = evaluate(&extractions, gold.path(), scope).expect("gold read");
        let officials = evaluation.per_type["officials"];
        let roles = evaluation.per_type["roles"];
        (officials.true_positives, roles.true_positives)
    };
    // Alone, the second article names a person with no office; in the corpus they are the minister.
    assert_eq!(scored(Scope::Document), (1, 1));
    assert_eq!(scored(Scope::Corpus), (2, 2));
}

/// The years the extraction of one text states for its agreements.
fn agreement_years(text: &str) -> Vec<i32> {
    use dealgraph::extract::{ClaimValue, Predicate};
    let extractor = dealgraph::Extractor::new().expect("extractor");
    let extraction = extractor.extract(dealgraph::Document::from_text("years", text));
    extraction
        .claims
        .iter()
        .filter(|c| c.predicate == Predicate::Year)
        .filter_map(|c| match c.value {
            ClaimValue::Year(year) => Some(year),
            _ => None,
        })
        .collect()
}

#[test]
fn a_year_in_a_clause_about_a_party_is_not_the_deals() {
    assert_eq!(
        agreement_years(
            "In 2019, Ghana signed a deal with Togo, which gained independence in 1960, to employ \
             up to 300 farm workers."
        ),
        [2019]
    );
    // The clause ends at its comma: what follows is the deal's again.
    assert_eq!(
        agreement_years("Ghana signed a deal with Togo, which borders it, in 2021."),
        [2021]
    );
}

#[test]
fn its_and_their_before_a_title_refer_to_the_body_named_before() {
    let store = store_of_texts(&[(
        "its",
        "Lawyers for the families were backed by Amnesty International, which has campaigned \
         against the transfers since March. Its legal director, Rosa Vial, called the ruling a \
         turning point. Chile's military government said it would appeal. Its spokesperson, \
         Brigadier General Tomás Ibarra, said the transfers would go ahead.",
    )]);
    let rows = posts_in(&store);
    assert!(
        holds(
            &rows,
            "Rosa Vial",
            "Legal Director",
            "Amnesty International"
        ),
        "{rows:?}"
    );
    // A rank between the title and the name is skipped; the body is the government, not the
    // country inside its name.
    assert!(
        holds(&rows, "Tomás Ibarra", "Spokesperson", "Government of Chile"),
        "{rows:?}"
    );
}

#[test]
fn a_judge_with_no_stated_court_sits_in_the_court_named_before() {
    let store = store_of_texts(&[(
        "court",
        "Ghana's Supreme Court ruled on Tuesday that the transfers to Togo were unlawful. \"No \
         payment can buy away a right,\" presiding judge Ama Owusu said as she read the decision.",
    )]);
    let rows = posts_in(&store);
    assert!(
        holds(&rows, "Ama Owusu", "Judge", "Supreme Court"),
        "{rows:?}"
    );
}

#[test]
fn a_name_right_after_a_portfolio_holds_the_whole_title() {
    let store = store_of_texts(&[(
        "portfolios",
        "The accord was signed in Nairobi by Kenyan Minister of Labour and Social Protection Amina \
         Wekesa and Ghanaian Minister of Employment and Labour Relations Kwesi Boateng on Monday. \
         Uganda's Minister of Justice and Constitutional Affairs Ruth Nankabirwa welcomed it. \
         \"Workers need more than a signature,\" said Ama Owusu, director of the Health Rights \
         Initiative.",
    )]);
    let rows = posts_in(&store);
    assert!(
        holds(
            &rows,
            "Amina Wekesa",
            "Minister of Labour and Social Protection",
            "Kenya"
        ),
        "{rows:?}"
    );
    assert!(
        holds(
            &rows,
            "Kwesi Boateng",
            "Minister of Employment and Labour Relations",
            "Ghana"
        ),
        "{rows:?}"
    );
    assert!(
        holds(
            &rows,
            "Ruth Nankabirwa",
            "Minister of Justice and Constitutional Affairs",
            "Uganda"
        ),
        "{rows:?}"
    );
    // A director's body is no portfolio: its last words are not a name.
    assert!(
        !rows.iter().any(|row| row[0] == "Rights Initiative"),
        "{rows:?}"
    );
}

#[test]
fn the_letters_of_a_currency_name_no_country() {
    let extractor = dealgraph::Extractor::new().expect("extractor");
    let country_codes = |text: &str| {
        let extraction = extractor.extract(dealgraph::Document::from_text("money", text));
        let mut codes: Vec<String> = extraction
            .entities
            .iter()
            .filter(|entity| entity.class == dealgraph::extract::EntityClass::Country)
            .filter_map(|entity| entity.code.clone())
            .collect();
        codes.sort();
        codes
    };
    assert_eq!(
        country_codes(
            "Fiji and Tonga signed a fisheries pact worth US$12 million and A$3 million. Both \
             governments will also pay HK$2 million to a fund."
        ),
        ["FJ", "TO"]
    );
    assert_eq!(
        country_codes("The US pledged US$5 million to the Fiji and Tonga fisheries fund."),
        ["FJ", "TO", "US"]
    );
}

#[test]
fn a_judge_sits_in_the_last_court_named_before_the_title() {
    let store = store_of_texts(&[(
        "two courts",
        "Kenya's High Court heard the first challenge in May. Presiding judge Wanjiru Kamau said \
         the law was clear. In June, Ghana's Supreme Court ruled that the transfers to Togo were \
         unlawful. Presiding judge Ama Owusu read the decision.",
    )]);
    let rows = posts_in(&store);
    assert!(
        holds(&rows, "Wanjiru Kamau", "Judge", "High Court"),
        "{rows:?}"
    );
    assert!(
        holds(&rows, "Ama Owusu", "Judge", "Supreme Court"),
        "{rows:?}"
    );
}

#[test]
fn an_official_acting_on_behalf_of_a_body_holds_the_post_there() {
    let store = store_of_texts(&[(
        "behalf",
        "The memorandum was signed in Accra by Deputy Minister Kwame Boateng on behalf of the \
         Ministry of Trade and Industry and by Togo's Trade Minister Afi Mensah.",
    )]);
    let rows = posts_in(&store);
    assert!(
        holds(
            &rows,
            "Kwame Boateng",
            "Deputy Minister",
            "Ministry of Trade and Industry"
        ),
        "{rows:?}"
    );
    assert!(
        holds(&rows, "Afi Mensah", "Trade Minister", "Togo"),
        "{rows:?}"
    );
}
