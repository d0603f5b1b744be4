//! Synthetic news articles about international deals, for speed and scale benchmarks: the same
//! seed and index always give the same article, each article is made on its own (so a corpus of
//! any size is written as a stream, one JSON line at a time), and the text is English news prose of
//! 300 to 900 words with countries from the crate's reference data, invented officials with titles,
//! ministries, courts, NGOs and international bodies, agreements with capacities, durations, money
//! in several currencies and states, quotations with speech verbs, and plain filler sentences. All
//! people, cities, NGOs and quotations are made up. Shared by `benches/corpus.rs` and
//! `examples/gen_corpus.rs` through `#[path]`; it reads no file and knows no article.

use std::fmt::Write as _;
use std::io::{self, Write};

use dealgraph::extract::{OrganisationKind, Reference};
use serde::Serialize;

/// Makes articles from the reference data and a seed.
pub struct ArticleGenerator {
    seed: u64,
    countries: Vec<Country>,
    bodies: Vec<Body>,
    courts: Vec<Body>,
    ngos: Vec<Body>,
    media: Vec<String>,
    currencies: Vec<Currency>,
}

/// One generated article, in the fields the JSON Lines reader takes.
#[derive(Serialize)]
pub struct Article {
    /// Stable identity: seed and index.
    pub id: String,
    /// The headline.
    pub title: String,
    /// A made-up address under `example.org`.
    pub url: String,
    /// Publication date, `YYYY-MM-DD`.
    pub published: String,
    /// The body: dateline, paragraphs separated by blank lines.
    pub text: String,
}

struct Country {
    name: String,
    needs_article: bool,
    demonyms: Vec<String>,
}

struct Body {
    name: String,
    acronym: Option<String>,
}

/// How money is written: a symbol before the number ("€") or a word after it ("euros").
struct Currency {
    form: String,
    before: bool,
}

impl ArticleGenerator {
    /// A generator over the countries, international bodies, courts, NGOs, media and currencies of
    /// `reference`.
    pub fn new(reference: &Reference, seed: u64) -> Self {
        let countries = reference
            .countries
            .iter()
            .filter(|c| !c.demonyms.is_empty() && !c.name.contains(','))
            .map(|c| Country {
                needs_article: needs_article(&c.name),
                name: c.name.clone(),
                demonyms: c.demonyms.clone(),
            })
            .collect();
        let of_kind = |kind: OrganisationKind| -> Vec<Body> {
            reference
                .organisations
                .iter()
                .filter(|o| o.kind == kind)
                .map(|o| Body {
                    name: o.name.clone(),
                    acronym: o.acronym.clone(),
                })
                .collect()
        };
        let media = reference
            .organisations
            .iter()
            .filter(|o| o.kind == OrganisationKind::Media)
            .map(|o| o.name.clone())
            .collect();
        let currencies = reference
            .currency_forms
            .iter()
            .map(|(form, _)| Currency {
                before: !form.chars().all(|c| c.is_alphabetic() || c == ' '),
                form: form.clone(),
            })
            .collect();
        Self {
            seed,
            countries,
            bodies: of_kind(OrganisationKind::InternationalBody),
            courts: of_kind(OrganisationKind::Court),
            ngos: of_kind(OrganisationKind::Ngo),
            media,
            currencies,
        }
    }

    /// Article number `index`: the same for the same seed and index, whatever else was made.
    pub fn article(&self, index: u64) -> Article {
        let mut rng = Rng::new(self.seed, index);
        let cast = Cast::new(self, &mut rng);
        let mut writer = ArticleWriter {
            cast: &cast,
            rng,
            text: String::with_capacity(6_000),
            used: [0; SECTIONS.len()],
            quoted: 0,
            introduced: [false; 6],
        };
        let title = writer.headline();
        writer.body();
        Article {
            id: format!("synthetic-{}-{index:07}", self.seed),
            url: format!(
                "https://news.example.org/{}/{:02}/{}-{index}",
                cast.date.year,
                cast.date.month + 1,
                slug(&title)
            ),
            published: format!(
                "{}-{:02}-{:02}",
                cast.date.year,
                cast.date.month + 1,
                cast.date.day
            ),
            title,
            text: writer.text,
        }
    }
}

/// Writes articles `0..articles` as JSON Lines and returns the bytes of their texts.
pub fn write_jsonl(
    generator: &ArticleGenerator,
    articles: u64,
    out: &mut impl Write,
) -> io::Result<u64> {
    let mut text_bytes = 0;
    for index in 0..articles {
        let article = generator.article(index);
        text_bytes += article.text.len() as u64;
        serde_json::to_writer(&mut *out, &article)?;
        out.write_all(b"\n")?;
    }
    Ok(text_bytes)
}

/// Whether English puts "the" before a country's name ("the Netherlands", "the Czech Republic").
fn needs_article(name: &str) -> bool {
    let first = name.split(' ').next().unwrap_or(name);
    let multiword = name.contains(' ');
    (multiword
        && matches!(
            first,
            "United" | "Democratic" | "Central" | "Dominican" | "Czech" | "Federated" | "Republic"
        ))
        || name.ends_with(" Islands")
        || (!multiword
            && ["lands", "ines", "amas", "ives", "oros"]
                .iter()
                .any(|e| name.ends_with(e)))
}

fn slug(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for word in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
    {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&word.to_ascii_lowercase());
    }
    slug
}

/// SplitMix64: small, fast and good enough for text; one stream per article.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Self {
        let mut rng = Rng(seed ^ 0x6A09_E667_F3BC_C909);
        let mixed = rng.next() ^ index.wrapping_mul(0xD134_2543_DE82_EF95);
        Rng(mixed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 32) * n as u64) >> 32) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below((high - low + 1) as usize) as u64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Who and what one article is about.
struct Cast<'g> {
    /// The country that pays or receives the service.
    client: &'g Country,
    /// The country that provides it.
    provider: &'g Country,
    /// A third country, for comparisons.
    other: &'g Country,
    client_demonym: &'g str,
    provider_demonym: &'g str,
    topic: &'static Topic,
    deal: &'static str,
    people: [Person; 6],
    client_ministry: String,
    provider_ministry: String,
    ngo: String,
    court: String,
    body: &'g Body,
    media: &'g str,
    city: String,
    provider_city: String,
    date: Date,
    capacity: String,
    money: [String; 2],
    years: u64,
    straight_quotes: bool,
}

struct Person {
    given: String,
    surname: String,
    /// The title before the name ("Interior Minister") or the role after it ("a spokesperson ...").
    title: String,
}

struct Date {
    year: u64,
    month: usize,
    day: u64,
    weekday: &'static str,
}

impl<'g> Cast<'g> {
    fn new(generator: &'g ArticleGenerator, rng: &mut Rng) -> Self {
        let client = rng.pick(&generator.countries);
        let mut provider = rng.pick(&generator.countries);
        while std::ptr::eq(provider, client) {
            provider = rng.pick(&generator.countries);
        }
        let mut other = rng.pick(&generator.countries);
        while std::ptr::eq(other, client) || std::ptr::eq(other, provider) {
            other = rng.pick(&generator.countries);
        }
        let client_demonym = rng.pick(&client.demonyms).as_str();
        let provider_demonym = rng.pick(&provider.demonyms).as_str();
        let topic = rng.pick(TOPICS);
        let client_portfolio = rng.pick(topic.portfolios);
        let provider_portfolio = rng.pick(topic.portfolios);
        let client_ministry = ministry(rng, client_portfolio, client_demonym);
        let provider_ministry = ministry(rng, provider_portfolio, provider_demonym);
        let ngo = ngo(generator, rng);
        let titles = [
            minister_title(rng, client_portfolio, client_demonym),
            minister_title(rng, provider_portfolio, provider_demonym),
            format!("a spokesperson for {client_ministry}"),
            format!("{} {ngo}", rng.pick(NGO_ROLES)),
            rng.pick(ANALYST_ROLES).to_string(),
            rng.pick(BODY_TITLES).to_string(),
        ];
        let people = titles.map(|title| Person::titled(rng, title));
        let capacity = rng.pick(topic.capacities);
        let court = court(generator, rng, provider, provider_demonym);
        let year = rng.between(2016, 2026);
        let month = rng.below(12);
        let day = rng.between(1, 28);
        let currency = rng.pick(&generator.currencies);
        let second_currency = rng.pick(&generator.currencies);
        Self {
            client,
            provider,
            other,
            client_demonym,
            provider_demonym,
            topic,
            deal: rng.word(topic.deals),
            client_ministry,
            provider_ministry,
            ngo,
            court,
            body: rng.pick(&generator.bodies),
            media: rng.pick(&generator.media).as_str(),
            city: place_name(rng),
            provider_city: place_name(rng),
            date: Date {
                year,
                month,
                day,
                weekday: rng.word(WEEKDAYS),
            },
            capacity: fill_number(rng, capacity),
            money: [money(rng, currency), money(rng, second_currency)],
            years: rng.between(2, 15),
            straight_quotes: rng.chance(50),
            people,
        }
    }
}

impl Person {
    fn titled(rng: &mut Rng, title: String) -> Self {
        Person {
            given: rng.pick(GIVEN_NAMES).to_string(),
            surname: invented_word(rng, 2, 3),
            title,
        }
    }
}

/// A made-up capitalised word of `low..=high` syllables ("Varkomir").
fn invented_word(rng: &mut Rng, low: u64, high: u64) -> String {
    let mut word = String::with_capacity(12);
    for index in 0..rng.between(low, high) {
        let syllable = rng.pick(SYLLABLES);
        if index == 0 {
            let mut chars = syllable.chars();
            if let Some(first) = chars.next() {
                word.extend(first.to_uppercase());
                word.push_str(chars.as_str());
            }
        } else {
            word.push_str(syllable);
        }
    }
    word
}

fn place_name(rng: &mut Rng) -> String {
    let core = invented_word(rng, 2, 3);
    match rng.below(6) {
        0 => format!("Port {core}"),
        1 => format!("{core}grad"),
        2 => format!("San {core}"),
        _ => core,
    }
}

fn ministry(rng: &mut Rng, portfolio: &str, demonym: &str) -> String {
    match rng.below(3) {
        0 => format!("the {demonym} Ministry of {portfolio}"),
        1 => format!("the {portfolio} Ministry"),
        _ => format!("the Ministry of {portfolio}"),
    }
}

fn minister_title(rng: &mut Rng, portfolio: &str, demonym: &str) -> String {
    let post = match rng.below(6) {
        0 => "Prime Minister".to_string(),
        1 => "Foreign Minister".to_string(),
        2 => "Deputy Foreign Minister".to_string(),
        _ => format!("{} Minister", portfolio.trim_start_matches("the ")),
    };
    if rng.chance(40) {
        format!("{demonym} {post}")
    } else {
        post
    }
}

fn ngo(generator: &ArticleGenerator, rng: &mut Rng) -> String {
    if rng.chance(35) {
        rng.pick(&generator.ngos).name.clone()
    } else {
        let word = invented_word(rng, 2, 2);
        match rng.below(5) {
            0 => format!("{word} Watch"),
            1 => format!("the Centre for {} Studies", rng.pick(NGO_THEMES)),
            2 => format!("the {word} Foundation"),
            3 => format!("the {} Rights Network", rng.pick(NGO_THEMES)),
            _ => format!("the {word} Institute"),
        }
    }
}

fn court(generator: &ArticleGenerator, rng: &mut Rng, country: &Country, demonym: &str) -> String {
    match rng.below(4) {
        0 => format!("the {demonym} Constitutional Court"),
        1 => format!("the Supreme Court of {}", country_name(country)),
        2 => format!("the Administrative Court in {}", place_name(rng)),
        _ => format!("the {}", rng.pick(&generator.courts).name),
    }
}

fn country_name(country: &Country) -> String {
    if country.needs_article {
        format!("the {}", country.name)
    } else {
        country.name.clone()
    }
}

/// Replaces `#` in a pattern with a number of the size the next character asks for.
fn fill_number(rng: &mut Rng, pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    for c in pattern.chars() {
        match c {
            // A count of people or things: 40 to 4,000.
            '#' => push_grouped(&mut out, rng.between(4, 400) * 10),
            // A small count: 2 to 12.
            '%' => {
                let _ = write!(out, "{}", rng.between(2, 12));
            }
            // A decimal amount: 1.2 to 9.8.
            '~' => {
                let _ = write!(out, "{}.{}", rng.between(1, 9), rng.between(1, 9));
            }
            _ => out.push(c),
        }
    }
    out
}

fn push_grouped(out: &mut String, value: u64) {
    let digits = value.to_string();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
}

fn money(rng: &mut Rng, currency: &Currency) -> String {
    let amount = if rng.chance(50) {
        format!("{} million", rng.between(2, 95) * 10)
    } else {
        format!("{}.{} billion", rng.between(1, 9), rng.between(1, 9))
    };
    let prefix = if rng.chance(25) {
        rng.word(&["about ", "up to ", "more than ", "nearly "])
    } else {
        ""
    };
    if currency.before {
        format!("{prefix}{}{amount}", currency.form)
    } else {
        format!("{prefix}{amount} {}", currency.form)
    }
}

fn number_word(value: u64) -> String {
    const WORDS: [&str; 13] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(value as usize)
        .map_or_else(|| value.to_string(), |w| (*w).to_string())
}

/// Writes one article's text, template by template.
struct ArticleWriter<'c, 'g> {
    cast: &'c Cast<'g>,
    rng: Rng,
    text: String,
    /// Templates already used, one bit each, per section: no sentence is repeated in an article.
    used: [u64; SECTIONS.len()],
    /// Quotations already used, one bit each.
    quoted: u64,
    /// Which people have been named in full (later mentions give the surname alone).
    introduced: [bool; 6],
}

impl ArticleWriter<'_, '_> {
    fn headline(&mut self) -> String {
        let template = self.rng.word(HEADLINES);
        let mut title = String::with_capacity(120);
        self.expand(template, &mut title);
        capitalise_at(&mut title, 0);
        title
    }

    fn body(&mut self) {
        let cast = self.cast;
        // About six bytes a word, spaces and punctuation included; the last paragraphs and the
        // closing line add up to 80 words past the target, hence 300 to 900 words in all.
        let target = self.rng.between(305, 805) as usize * 6;
        let city = cast.city.to_uppercase();
        let month = MONTHS[cast.date.month];
        if self.rng.chance(50) {
            let _ = write!(self.text, "{city}, {month} {} —\n\n", cast.date.day);
        } else {
            let _ = write!(self.text, "{city}, {month} {} — ", cast.date.day);
        }
        self.paragraph(LEAD, 1, 2);
        let mut order = [
            OFFICIALS, DETAILS, BACKGROUND, CRITICS, STATUS, BODIES, OFFICIALS,
        ];
        for index in (1..order.len()).rev() {
            order.swap(index, self.rng.below(index + 1));
        }
        for section in order {
            if self.text.len() >= target {
                break;
            }
            if self.rng.chance(12) {
                self.subheading();
            }
            self.paragraph(section, 1, 3);
        }
        while self.text.len() < target {
            let section = *self.rng.pick(&[
                OFFICIALS, DETAILS, BACKGROUND, CRITICS, STATUS, BODIES, FILLER,
            ]);
            self.paragraph(section, 1, 3);
        }
        self.paragraph(CLOSING, 1, 1);
        self.text.truncate(self.text.trim_end().len());
    }

    fn subheading(&mut self) {
        let heading = self.rng.word(SUBHEADINGS);
        self.text.push_str(heading);
        self.text.push_str("\n\n");
    }

    /// A paragraph of `low..=high` sentences of `section`, with filler sentences between them.
    fn paragraph(&mut self, section: usize, low: u64, high: u64) {
        let sentences = self.rng.between(low, high);
        let start = self.text.len();
        for index in 0..sentences {
            if (section != LEAD || index > 0) && self.rng.chance(FILLER_PERCENT) {
                self.sentence(FILLER);
            }
            self.sentence(section);
        }
        if section != LEAD && self.rng.chance(FILLER_PERCENT) {
            self.sentence(FILLER);
        }
        if self.text.len() > start {
            self.text.pop();
            self.text.push_str("\n\n");
        }
    }

    fn sentence(&mut self, section: usize) {
        let template = fresh(&mut self.rng, SECTIONS[section], &mut self.used[section]);
        let start = self.text.len();
        let mut sentence = std::mem::take(&mut self.text);
        self.expand(template, &mut sentence);
        self.text = sentence;
        capitalise_at(&mut self.text, start);
        self.text.push(' ');
    }

    /// Appends `template` with every `{key}` replaced.
    fn expand(&mut self, template: &str, out: &mut String) {
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
            self.value(&rest[open + 1..close], out);
            rest = &rest[(close + 1).min(rest.len())..];
        }
        out.push_str(rest);
    }

    fn value(&mut self, key: &str, out: &mut String) {
        let cast = self.cast;
        let (open, close) = if cast.straight_quotes {
            ("\"", "\"")
        } else {
            ("“", "”")
        };
        match key {
            "A" => out.push_str(&country_name(cast.client)),
            "B" => out.push_str(&country_name(cast.provider)),
            "C" => out.push_str(&country_name(cast.other)),
            "A's" => possessive(out, &country_name(cast.client)),
            "B's" => possessive(out, &country_name(cast.provider)),
            "Ad" => out.push_str(cast.client_demonym),
            "Bd" => out.push_str(cast.provider_demonym),
            "deal" => out.push_str(cast.deal),
            "act" => {
                let act = self.rng.word(cast.topic.acts);
                self.expand(act, out);
            }
            "cap" => out.push_str(&cast.capacity),
            "what" => out.push_str(self.rng.word(cast.topic.objects)),
            "money" => out.push_str(&cast.money[0]),
            "money2" => out.push_str(&cast.money[1]),
            "years" => out.push_str(&number_word(cast.years)),
            "years-long" => {
                out.push_str(&number_word(cast.years));
                out.push_str("-year");
            }
            "more" => out.push_str(&number_word(self.rng.between(1, 5))),
            "year" => {
                let _ = write!(out, "{}", cast.date.year);
            }
            "past" => {
                let _ = write!(out, "{}", cast.date.year - self.rng.between(1, 9));
            }
            "next" => {
                let _ = write!(out, "{}", cast.date.year + self.rng.between(1, 4));
            }
            "month" => out.push_str(MONTHS[(cast.date.month + self.rng.below(11) + 1) % 12]),
            "weekday" => out.push_str(cast.date.weekday),
            "pct" => {
                let _ = write!(out, "{} percent", self.rng.between(3, 60));
            }
            "millions" => {
                let _ = write!(out, "{}", self.rng.between(2, 90));
            }
            "city" => out.push_str(&cast.city),
            "cityB" => out.push_str(&cast.provider_city),
            "minA" => out.push_str(&cast.client_ministry),
            "minB" => out.push_str(&cast.provider_ministry),
            "ngo" => out.push_str(&cast.ngo),
            "court" => out.push_str(&cast.court),
            "body" => out.push_str(&cast.body.name),
            "body-acr" => out.push_str(cast.body.acronym.as_deref().unwrap_or(&cast.body.name)),
            "body-def" => match &cast.body.acronym {
                Some(acronym) => {
                    let _ = write!(out, "{} ({acronym})", cast.body.name);
                }
                None => out.push_str(&cast.body.name),
            },
            "media" => out.push_str(cast.media),
            "say" => out.push_str(self.rng.word(SPEECH_VERBS)),
            "q" => out.push_str(open),
            "/q" => out.push_str(close),
            "quote" => out.push_str(fresh(&mut self.rng, QUOTES, &mut self.quoted)),
            "quote," => {
                let quote = fresh(&mut self.rng, QUOTES, &mut self.quoted);
                out.push_str(quote.strip_suffix('.').unwrap_or(quote));
                out.push(',');
            }
            "critique" => out.push_str(self.rng.word(CRITIQUES)),
            "fragment" => out.push_str(self.rng.word(FRAGMENTS)),
            "objection" => out.push_str(self.rng.word(OBJECTIONS)),
            "purpose" => out.push_str(self.rng.word(PURPOSES)),
            "topic" => out.push_str(cast.topic.name),
            _ => self.person(key, out),
        }
    }

    /// `P1`..`P6` with a suffix. `P1` and `P2` are ministers with a title before the name, the
    /// others have a role after it. `P1` names a person in full the first time (title and name, or
    /// name and role between commas) and by surname after; `P1s` is the surname once the person is
    /// named, else `P1`; `P1n` is the name; `P1r` the name and its role after a comma.
    fn person(&mut self, key: &str, out: &mut String) {
        let mut chars = key.chars();
        let (Some('P'), Some(digit)) = (chars.next(), chars.next()) else {
            panic!("unknown template key {{{key}}}");
        };
        let index = digit.to_digit(10).expect("person number") as usize - 1;
        let person = &self.cast.people[index];
        let introduced = std::mem::replace(&mut self.introduced[index], true);
        match chars.as_str() {
            "" | "s" if introduced => out.push_str(&person.surname),
            "" | "s" if index < 2 => {
                let _ = write!(out, "{} {} {}", person.title, person.given, person.surname);
            }
            "" => {
                let _ = write!(
                    out,
                    "{} {}, {},",
                    person.given, person.surname, person.title
                );
            }
            "n" => {
                let _ = write!(out, "{} {}", person.given, person.surname);
            }
            "r" => {
                let _ = write!(out, "{} {}, {}", person.given, person.surname, person.title);
            }
            other => panic!("unknown person key {other}"),
        }
    }
}

/// A random item of `items` (at most 63) not yet marked in `used`, marked; when all are used, any.
fn fresh<'a>(rng: &mut Rng, items: &[&'a str], used: &mut u64) -> &'a str {
    let all = (1u64 << items.len()) - 1;
    if *used & all == all {
        *used = 0;
    }
    let mut choice = rng.below(items.len());
    while *used & (1 << choice) != 0 {
        choice = (choice + 1) % items.len();
    }
    *used |= 1 << choice;
    items[choice]
}

fn possessive(out: &mut String, name: &str) {
    out.push_str(name);
    out.push_str(if name.ends_with('s') { "’" } else { "’s" });
}

/// Upper-cases the first letter at or after byte `start`, skipping quotation marks.
fn capitalise_at(text: &mut String, start: usize) {
    let Some((offset, c)) = text[start..]
        .char_indices()
        .find(|(_, c)| c.is_alphanumeric())
    else {
        return;
    };
    if c.is_lowercase() {
        let at = start + offset;
        let upper: String = c.to_uppercase().collect();
        text.replace_range(at..at + c.len_utf8(), &upper);
    }
}

/// How often (in a hundred) a filler sentence is put before a sentence of a section; tuned so that
/// the corpus has as many mentions per kilobyte as the seed articles.
const FILLER_PERCENT: usize = 70;

/// One kind of deal: what it is called, what it covers and which ministries handle it.
struct Topic {
    name: &'static str,
    deals: &'static [&'static str],
    /// What the providing country does, in the base form after "will".
    acts: &'static [&'static str],
    /// Capacities: `#` a count, `%` a small count, `~` a decimal.
    capacities: &'static [&'static str],
    objects: &'static [&'static str],
    portfolios: &'static [&'static str],
}

const TOPICS: &[Topic] = &[
    Topic {
        name: "prison capacity",
        deals: &["prison lease agreement", "lease", "treaty", "agreement"],
        acts: &[
            "rent out {cap} to {A}",
            "hold inmates from {A} in {cap} near {cityB}",
            "make {cap} available to {A}",
        ],
        capacities: &["# prison cells", "up to # cells", "# places for inmates"],
        objects: &[
            "the first transfers of inmates",
            "transfers",
            "the first transfers",
        ],
        portfolios: &["Justice", "the Interior"],
    },
    Topic {
        name: "migration",
        deals: &[
            "migration deal",
            "return hub",
            "memorandum of understanding",
            "arrangement",
        ],
        acts: &[
            "take in {cap} whose asylum claims were rejected in {A}",
            "host {cap} deported from {A}",
            "run a reception centre near {cityB} for {cap}",
        ],
        capacities: &[
            "up to # migrants a year",
            "# asylum seekers",
            "as many as # people",
        ],
        objects: &[
            "returns",
            "transfers",
            "the first arrivals",
            "deportation flights",
        ],
        portfolios: &[
            "the Interior",
            "Migration",
            "Home Affairs",
            "Foreign Affairs",
        ],
    },
    Topic {
        name: "renewable power",
        deals: &["energy partnership", "power purchase agreement", "accord"],
        acts: &[
            "build {cap} and export the power to {A} through an undersea cable",
            "sell {cap} to {A} at a fixed price",
        ],
        capacities: &[
            "~ gigawatts of solar and wind capacity",
            "% gigawatts of solar power",
        ],
        objects: &["construction", "deliveries of power", "the first exports"],
        portfolios: &["Energy", "Economy", "Climate and Energy"],
    },
    Topic {
        name: "natural gas",
        deals: &["gas supply deal", "supply agreement", "contract"],
        acts: &[
            "supply {A} with {cap}",
            "ship {cap} to {A} through a new terminal at {cityB}",
        ],
        capacities: &[
            "~ billion cubic metres of gas a year",
            "% cargoes of liquefied gas a month",
        ],
        objects: &["deliveries", "shipments", "the first cargoes"],
        portfolios: &["Energy", "Trade", "Economy"],
    },
    Topic {
        name: "green hydrogen",
        deals: &[
            "hydrogen partnership",
            "memorandum of understanding",
            "pact",
        ],
        acts: &[
            "produce {cap} for export to {A}",
            "build electrolysers near {cityB} able to make {cap}",
        ],
        capacities: &[
            "#,000 tonnes of green hydrogen a year",
            "# megawatts of electrolysis",
        ],
        objects: &["production", "exports", "construction of the plant"],
        portfolios: &["Energy", "Economic Affairs", "Development"],
    },
    Topic {
        name: "vaccine manufacturing",
        deals: &["manufacturing agreement", "partnership", "deal"],
        acts: &[
            "make {cap} under licence for {A}",
            "open a plant at {cityB} able to fill {cap}",
        ],
        capacities: &["# million vaccine doses a year", "% million doses a month"],
        objects: &["production", "deliveries", "technology transfer"],
        portfolios: &["Health", "Industry"],
    },
    Topic {
        name: "grain imports",
        deals: &["grain deal", "supply agreement", "trade agreement"],
        acts: &["sell {cap} to {A}", "guarantee {A} delivery of {cap}"],
        capacities: &["~ million tonnes of wheat", "#,000 tonnes of maize a year"],
        objects: &["shipments", "deliveries", "exports"],
        portfolios: &["Agriculture", "Trade", "Food Security"],
    },
    Topic {
        name: "port infrastructure",
        deals: &["port concession", "concession agreement", "lease"],
        acts: &[
            "let a company from {A} run {cap} at {cityB}",
            "lease {cap} to {A} for its navy",
        ],
        capacities: &[
            "a terminal handling ~ million containers a year",
            "% deep-water berths",
        ],
        objects: &["construction", "dredging", "operations"],
        portfolios: &["Transport", "Infrastructure", "Maritime Affairs"],
    },
    Topic {
        name: "maritime security",
        deals: &["security pact", "defence cooperation agreement", "treaty"],
        acts: &[
            "receive {cap} financed by {A}",
            "allow {A} to station {cap} at {cityB}",
        ],
        capacities: &[
            "% patrol vessels",
            "up to # troops",
            "% coast guard cutters",
        ],
        objects: &[
            "joint patrols",
            "deliveries of the ships",
            "training of the crews",
        ],
        portfolios: &["Defence", "Foreign Affairs"],
    },
    Topic {
        name: "rail infrastructure",
        deals: &[
            "infrastructure deal",
            "loan agreement",
            "framework agreement",
        ],
        acts: &[
            "build {cap} with money lent by {A}",
            "hire contractors from {A} to lay {cap}",
        ],
        capacities: &["a #-kilometre railway line", "# kilometres of track"],
        objects: &["construction", "work on the first section", "repayments"],
        portfolios: &["Transport", "Finance"],
    },
    Topic {
        name: "fisheries",
        deals: &["fisheries agreement", "fishing pact", "protocol"],
        acts: &[
            "let boats from {A} catch {cap}",
            "open its waters to {cap} from {A}",
        ],
        capacities: &["#,000 tonnes of tuna a year", "% dozen trawlers"],
        objects: &["fishing", "licences", "inspections"],
        portfolios: &["Fisheries", "Maritime Affairs"],
    },
    Topic {
        name: "critical minerals",
        deals: &["minerals partnership", "mining agreement", "compact"],
        acts: &["export {cap} to {A}", "process {cap} for buyers in {A}"],
        capacities: &[
            "#,000 tonnes of lithium a year",
            "# tonnes of cobalt a year",
        ],
        objects: &["exports", "mining", "processing"],
        portfolios: &["Mines", "Trade", "Industry"],
    },
    Topic {
        name: "labour mobility",
        deals: &[
            "labour mobility agreement",
            "migration partnership",
            "accord",
        ],
        acts: &["send {cap} to work in {A}", "train {cap} for jobs in {A}"],
        capacities: &[
            "up to # seasonal workers a year",
            "# nurses",
            "# care workers",
        ],
        objects: &["recruitment", "the first arrivals", "visa processing"],
        portfolios: &["Labour", "Foreign Affairs", "Employment"],
    },
];

// Section indices into SECTIONS.
const LEAD: usize = 0;
const OFFICIALS: usize = 1;
const DETAILS: usize = 2;
const BACKGROUND: usize = 3;
const CRITICS: usize = 4;
const STATUS: usize = 5;
const BODIES: usize = 6;
const FILLER: usize = 7;
const CLOSING: usize = 8;

const SECTIONS: [&[&str]; 9] = [
    &[
        "{A} and {B} signed a {years-long} {deal} on {weekday} under which {B} will {act}, in exchange for {money}.",
        "The governments of {A} and {B} have reached a {deal} that would see {B} {act}, officials in {city} said on {weekday}.",
        "{B} will {act} under a {deal} with {A} announced on {weekday}, the latest in a string of similar arrangements.",
        "{P1} and {P2} signed a {deal} in {city} on {weekday} that commits {B} to {act} for {years} years.",
        "{B} has agreed to {act} for the next {years} years, in a {deal} worth {money} to its economy.",
        "A {deal} signed on {weekday} between {A} and {B} will see {B} {act} from {year}.",
    ],
    &[
        "{q}{quote,}{/q} {P1} {say} at a joint news conference in {city}.",
        "{q}{quote,}{/q} {say} {P1}, who signed the {deal} on behalf of {A}.",
        "{P2}, speaking alongside {P1s}, {say} the {deal} would {q}{fragment}{/q}.",
        "{P3} told reporters that {what} could begin as early as {month}.",
        "{q}{quote} {quote,}{/q} {P1s} {say}.",
        "In a statement, {minA} said the {deal} was {q}fully in line with international law{/q}.",
        "{P2s} {say} that {B} had received {q}clear guarantees{/q} from {A}.",
        "{P3} said: {q}{quote}{/q}",
        "Asked about the cost, {P1s} {say} that {A} would pay {money} and {q}not a cent more{/q}.",
        "{q}{quote,}{/q} {P2s} {say}, adding that the {deal} would be reviewed every year.",
        "{P2} said {B} would use the money to {purpose}.",
        "{P1s} rejected suggestions that {A} was paying {B} to take on its problems.",
    ],
    &[
        "The {deal} runs for {years} years and can be extended by a further {more}.",
        "Under its terms, {A} will pay {money} a year, plus a one-off {money2} to {purpose}.",
        "The first phase covers {cap}, according to a copy of the text seen by {media}.",
        "{Bd} officials put the total value of the {deal} at {money}, or about {money2}.",
        "{A} will also contribute {money2} to a fund managed by the {body-def}.",
        "The {deal} covers {cap} and will cost {A} {money} over {years} years.",
        "Payments will be made in instalments, the first of {money2} due in {month}.",
        "The text allows either side to end the {deal} with {more} months’ notice.",
        "Staff for the project will be recruited locally, and {B} will keep control of day-to-day operations.",
    ],
    &[
        "The {deal} follows a similar arrangement between {C} and {B} in {past}.",
        "{B}, which has a population of about {millions} million, has sought closer ties with {A} since {past}.",
        "{A} is {B's} second-largest trading partner after {C}.",
        "Talks on the {deal} began in {past} and were led on the {Ad} side by {P1s}.",
        "{A's} interest in {topic} grew after {C} cut back its own programme in {past}.",
        "Trade between {A} and {B} rose by {pct} last year, according to official figures.",
        "{Ad} companies already account for {pct} of foreign investment in {B}.",
        "Relations between the two countries were strained until {past}, when {B} opened an embassy in {city}.",
    ],
    &[
        "Rights groups criticised the {deal}. {q}{critique},{/q} said {P4r}.",
        "{ngo} said the {deal} {objection} and called on the {body-acr} to intervene.",
        "{P4} warned that the {deal} could {q}set a dangerous precedent{/q}.",
        "{q}{critique},{/q} {P4} told {media}.",
        "Opposition lawmakers in {B} accused the government of selling the country’s sovereignty for {money}.",
        "{P5} said the {deal} was {q}more about politics in {A} than about {topic}{/q}.",
        "Critics in {A} argued that the money would be better spent at home.",
    ],
    &[
        "The {deal} must still be ratified by parliament in {B}, where the opposition has vowed to block it.",
        "A legal challenge filed by {ngo} is pending before {court}.",
        "In {past}, {court} struck down an earlier version of the {deal}.",
        "The {deal} is expected to enter into force in {month} {next}.",
        "Negotiations on a second phase are continuing, {minB} said.",
        "The {deal} came into force on {weekday} after the {Bd} parliament approved it by a wide margin.",
        "A proposal to extend the {deal} to {C} was abandoned in {past}.",
        "{court} is due to rule on the {deal} before the end of the year.",
        "{what} began in {month}, {minB} confirmed.",
        "{A} and {B} are also in talks on a wider {topic} agreement.",
    ],
    &[
        "The {body-def} welcomed the {deal} but urged both governments to publish its full text.",
        "{body-acr} spokesperson {P6n} said the organisation had not been consulted.",
        "{P6r} of the {body-acr}, said it would monitor how the {deal} was carried out.",
        "The {body-acr} has asked {A} and {B} for details of how the {deal} will be overseen.",
        "The {deal} was discussed at a meeting of the {body-def} in {city} last month.",
    ],
    &[
        "The details have not been made public.",
        "It was not immediately clear when the plan would be put into practice.",
        "Officials did not say how the costs would be shared.",
        "The issue has dominated domestic politics for months.",
        "Similar schemes elsewhere have had mixed results.",
        "The timing of the announcement surprised some observers.",
        "Much will depend on how the first year goes.",
        "Neither government gave a date for the next round of meetings.",
        "The figures could not be independently verified.",
        "Such arrangements have become more common in recent years.",
        "Supporters say it offers a practical answer to a long-standing problem.",
        "Opponents say the plan was rushed through without proper debate.",
        "Several questions remain unanswered, including who will carry out inspections.",
        "The announcement came after months of closed-door meetings.",
        "Officials described the atmosphere at the meeting as constructive.",
        "Local residents said they had learned of the plan from the news.",
        "Economists cautioned that the benefits may take years to appear.",
        "The project has been discussed in one form or another for more than a decade.",
        "Few details were given about the oversight arrangements.",
        "Business groups broadly welcomed the move.",
        "That figure is modest compared with the scale of the problem.",
        "The plan is likely to face scrutiny in the months ahead.",
        "There was no immediate reaction from the opposition.",
        "The government has promised to publish regular progress reports.",
        "Polls suggest public opinion on the issue remains divided.",
        "Some of the money will go to training and new equipment.",
        "Observers expect further announcements later this year.",
        "The question of costs has been at the centre of the debate.",
    ],
    &[
        "{minB} did not respond to a request for comment.",
        "{media} was unable to reach {P2s} for further comment.",
        "The full text of the {deal} is due to be published next month.",
        "Both governments are expected to report on the {deal} to their parliaments within a year.",
    ],
];

const HEADLINES: &[&str] = &[
    "{A} and {B} sign {deal}",
    "{A} and {B} sign {deal} worth {money}",
    "{B} agrees to {act} in {money} {deal}",
    "{Ad}-{Bd} {deal} on {topic} draws criticism from rights groups",
    "{B} to {act} under new {deal}",
    "Court challenge looms over {A}-{B} {deal}",
    "{A} to pay {B} {money} under {deal}",
];

const SUBHEADINGS: &[&str] = &[
    "What the deal covers",
    "Questions over oversight",
    "A growing trend",
    "Money and conditions",
    "Reaction at home",
    "What happens next",
];

const QUOTES: &[&str] = &[
    "This agreement shows what two partners can achieve when they trust each other.",
    "We have worked on this for a long time, and today we can finally deliver.",
    "Nobody should doubt our commitment to the rule of law.",
    "It is a fair arrangement, and it is good for both our countries.",
    "We will follow every step closely and report back to parliament.",
    "This is not the end of the discussion, it is the beginning.",
    "Our priority is to make sure that the rules are respected on both sides.",
    "We did not accept this lightly, but the terms are right.",
    "People want results, and this is a result.",
    "There will be strict checks at every stage.",
];

const CRITIQUES: &[&str] = &[
    "This deal puts a price on people’s lives and calls it cooperation",
    "There is no independent oversight written into the text",
    "Governments cannot outsource their obligations to someone else",
    "We have seen arrangements like this fail before, and people paid the price",
    "The public has a right to see every page of this agreement",
];

const FRAGMENTS: &[&str] = &[
    "open a new chapter between our two nations",
    "benefit ordinary people on both sides",
    "respect every international obligation",
    "be reviewed by independent inspectors",
    "create thousands of jobs",
];

const OBJECTIONS: &[&str] = &[
    "lacked basic safeguards",
    "ignored the rights of the people it affects",
    "had been negotiated in secret",
    "would be impossible to monitor",
];

const PURPOSES: &[&str] = &[
    "upgrade its infrastructure",
    "build new housing",
    "train local staff",
    "pay for new equipment",
    "expand its health services",
];

const ANALYST_ROLES: &[&str] = &[
    "an analyst at the Institute for Regional Affairs",
    "a professor of international law",
    "a senior researcher at a policy institute",
    "a former diplomat",
];

const BODY_TITLES: &[&str] = &[
    "a spokesperson",
    "the special representative",
    "the regional director",
    "a senior official",
];

const NGO_ROLES: &[&str] = &[
    "director of",
    "a researcher at",
    "a lawyer for",
    "policy director at",
    "a spokesperson for",
];

const NGO_THEMES: &[&str] = &[
    "Migration",
    "Human Rights",
    "Energy Transition",
    "Refugee",
    "Ocean",
    "Labour",
    "Accountability",
];

const SPEECH_VERBS: &[&str] = &[
    "said",
    "said",
    "said",
    "said",
    "added",
    "warned",
    "stressed",
    "noted",
    "insisted",
    "argued",
    "explained",
    "acknowledged",
    "declared",
];

const GIVEN_NAMES: &[&str] = &[
    "Amira", "Tomas", "Ingrid", "Kwame", "Mei", "Rafael", "Sofia", "Yusuf", "Elena", "Jonas",
    "Priya", "Omar", "Lucia", "Henrik", "Aiko", "Mateo", "Leila", "Pavel", "Nadia", "Samuel",
    "Farah", "Daniel", "Ines", "Kofi", "Marta", "Ravi", "Selin", "Victor", "Zara", "Anton",
    "Clara", "Emeka", "Hana", "Ibrahim", "Julia", "Lars", "Miriam", "Nikolai", "Olga", "Pedro",
    "Rosa", "Tariq", "Ursula", "Wei", "Yara", "Andrei", "Beatriz", "Chidi", "Dalia", "Erik",
];

/// Syllables of invented surnames and places.
const SYLLABLES: &[&str] = &[
    "var", "den", "ko", "mir", "sa", "tel", "lon", "ra", "vek", "os", "an", "dri", "ul", "ber",
    "cas", "ni", "mo", "ren", "zy", "lev", "ta", "gor", "bel", "ish", "ma", "dor", "quin", "fa",
    "hal", "ne", "sti", "vo", "ar", "lu", "ke", "ro",
];

const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
