//! Money: whole numbers of the currency's minor unit (cents) in `i64`, never floating point.
//!
//! Amounts are typed as decimal strings (`150`, `150.00`, `80.5`) and parsed exactly; more
//! decimals than the currency has are refused. Percentages are basis points (1 % = 100 bp).
//! There is ONE rounding rule: half to even, to the minor unit ([`div_half_even`]), so
//! 50 % of 0.05 is 0.02 and 50 % of 0.15 is 0.08.
#![deny(clippy::float_arithmetic)]

use std::fmt;

/// Active ISO 4217 codes whose minor unit is not two digits: (code, digits).
const NOT_TWO_DIGITS: &[(&str, u8)] = &[
    ("BIF", 0),
    ("CLP", 0),
    ("DJF", 0),
    ("GNF", 0),
    ("ISK", 0),
    ("JPY", 0),
    ("KMF", 0),
    ("KRW", 0),
    ("PYG", 0),
    ("RWF", 0),
    ("UGX", 0),
    ("UYI", 0),
    ("VND", 0),
    ("VUV", 0),
    ("XAF", 0),
    ("XOF", 0),
    ("XPF", 0),
    ("BHD", 3),
    ("IQD", 3),
    ("JOD", 3),
    ("KWD", 3),
    ("LYD", 3),
    ("OMR", 3),
    ("TND", 3),
    ("CLF", 4),
    ("UYW", 4),
];

/// Active ISO 4217 codes with two-digit minor units.
const TWO_DIGITS: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD \
BTN BWP BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP \
GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA \
MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD \
RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD \
UYU UZS VES WST XCD XCG YER ZAR ZMW ZWG";

/// A practice's currency: its ISO 4217 code and how many decimals its minor unit has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Currency {
    code: &'static str,
    digits: u8,
}

impl Currency {
    /// The currency for an ISO 4217 code (`usd` is read as `USD`); unknown codes are refused.
    pub fn parse(input: &str) -> Result<Currency, String> {
        let code = input.trim().to_ascii_uppercase();
        if let Some(&(c, d)) = NOT_TWO_DIGITS.iter().find(|(c, _)| *c == code) {
            return Ok(Currency { code: c, digits: d });
        }
        if code.len() == 3
            && let Some(c) = TWO_DIGITS.split_whitespace().find(|c| *c == code)
        {
            return Ok(Currency { code: c, digits: 2 });
        }
        Err(format!(
            "“{}” is not an ISO 4217 currency code (three letters, for example USD, EUR, GBP, NZD)",
            input.trim()
        ))
    }

    pub fn code(self) -> &'static str {
        self.code
    }

    /// Decimals of the minor unit (2 for USD, 0 for JPY, 3 for KWD).
    pub fn digits(self) -> u8 {
        self.digits
    }

    /// Minor units in one major unit (100 for USD).
    pub fn scale(self) -> i64 {
        10_i64.pow(u32::from(self.digits))
    }

    /// An amount in minor units as a plain decimal: `150.00`, `-12.50`, `1500` (JPY).
    pub fn format(self, minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let abs = minor.unsigned_abs();
        if self.digits == 0 {
            return format!("{sign}{abs}");
        }
        let scale = self.scale().unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = usize::from(self.digits)
        )
    }

    /// An amount for people to read: `USD 150.00`, `USD 12,500.00`.
    pub fn show(self, minor: i64) -> String {
        format!("{} {}", self.code, self.grouped(minor))
    }

    /// [`Currency::format`] with the whole part in groups of three (`12,500.00`), for reading;
    /// what is typed back (a form's filled-in amount) stays ungrouped, as `parse_amount` takes it.
    pub fn grouped(self, minor: i64) -> String {
        let plain = self.format(minor);
        let (sign, rest) = match plain.strip_prefix('-') {
            Some(r) => ("-", r),
            None => ("", plain.as_str()),
        };
        let (whole, frac) = match rest.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (rest, None),
        };
        let mut out = String::with_capacity(plain.len() + whole.len() / 3);
        out.push_str(sign);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        if let Some(f) = frac {
            out.push('.');
            out.push_str(f);
        }
        out
    }

    /// Parses a decimal amount exactly into minor units. `allow_negative` admits a leading `-`
    /// (adjustments); zero is allowed (a free service). Refuses more decimals than the
    /// currency has, thousands separators, signs where not allowed and amounts too large.
    pub fn parse_amount(self, input: &str, allow_negative: bool) -> Result<i64, String> {
        let s = input.trim();
        let (negative, body) = match s.strip_prefix('-') {
            Some(rest) if allow_negative => (true, rest),
            Some(_) => return Err(format!("“{s}” is negative; give an amount of 0 or more")),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (whole, frac) = match body.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (body, None),
        };
        let digits_only = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits_only(whole) || frac.is_some_and(|f| !digits_only(f)) {
            return Err(format!(
                "“{s}” is not an amount: write digits with an optional decimal point, like 150, 150.00 or 80.5"
            ));
        }
        let frac = frac.unwrap_or("");
        if frac.len() > usize::from(self.digits) {
            return Err(match self.digits {
                0 => format!("“{s}”: {} has no decimals (no minor unit)", self.code),
                d => format!("“{s}” has {} decimals; {} has {d}", frac.len(), self.code),
            });
        }
        let too_large = || format!("“{s}” is too large an amount");
        let whole: i64 = whole.parse().map_err(|_| too_large())?;
        let mut padded = frac.to_string();
        while padded.len() < usize::from(self.digits) {
            padded.push('0');
        }
        let frac: i64 = if padded.is_empty() {
            0
        } else {
            padded.parse().map_err(|_| too_large())?
        };
        let minor = whole
            .checked_mul(self.scale())
            .and_then(|w| w.checked_add(frac))
            .filter(|m| *m <= MAX_AMOUNT)
            .ok_or_else(too_large)?;
        Ok(if negative { -minor } else { minor })
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

impl serde::Serialize for Currency {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code)
    }
}

impl<'de> serde::Deserialize<'de> for Currency {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        Currency::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The largest single amount accepted, in minor units (a thousand billion cents): sums of many
/// stay far inside `i64`.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Basis points in 100 %.
pub const FULL: u32 = 10_000;

/// Parses a percentage (`50`, `12.5`, `33.33`, `100`) into basis points; 0 to 100 with at most
/// two decimals.
pub fn parse_percent(input: &str) -> Result<u32, String> {
    let s = input.trim().trim_end_matches('%').trim();
    let bp = Currency {
        code: "%",
        digits: 2,
    }
    .parse_amount(s, false)
    .map_err(|_| {
        format!(
            "“{}” is not a percentage from 0 to 100 with at most two decimals, like 50 or 12.5",
            input.trim()
        )
    })?;
    u32::try_from(bp)
        .ok()
        .filter(|b| *b <= FULL)
        .ok_or_else(|| format!("“{}” is over 100 %", input.trim()))
}

/// Basis points as a percentage: `50`, `12.5`, `33.33`.
pub fn format_percent(bp: u32) -> String {
    let whole = bp / 100;
    match bp % 100 {
        0 => whole.to_string(),
        f if f % 10 == 0 => format!("{whole}.{}", f / 10),
        f => format!("{whole}.{f:02}"),
    }
}

/// `n / d` rounded half to even (banker's rounding). `d` must be positive.
pub fn div_half_even(n: i128, d: i128) -> i128 {
    if d <= 0 {
        return 0;
    }
    let q = n.div_euclid(d);
    let r = n.rem_euclid(d);
    match (2 * r).cmp(&d) {
        std::cmp::Ordering::Less => q,
        std::cmp::Ordering::Greater => q + 1,
        std::cmp::Ordering::Equal => {
            if q % 2 == 0 {
                q
            } else {
                q + 1
            }
        }
    }
}

/// `bp` basis points of `amount` minor units, rounded half to even to the minor unit.
pub fn percent_of(amount: i64, bp: u32) -> i64 {
    let exact = i128::from(amount) * i128::from(bp);
    // |amount| ≤ MAX_AMOUNT and bp ≤ a few times FULL keep this inside i64.
    i64::try_from(div_half_even(exact, i128::from(FULL))).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn currencies_know_their_digits() {
        assert_eq!(Currency::parse("usd").unwrap().digits(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().digits(), 0);
        assert_eq!(Currency::parse("KWD").unwrap().digits(), 3);
        assert_eq!(Currency::parse(" nzd ").unwrap().code(), "NZD");
        for bad in ["", "US", "USDX", "XYZ", "12$"] {
            assert!(Currency::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn amounts_for_reading_are_grouped_in_thousands() {
        let u = usd();
        assert_eq!(u.show(0), "USD 0.00");
        assert_eq!(u.show(99_999), "USD 999.99");
        assert_eq!(u.show(100_000), "USD 1,000.00");
        assert_eq!(u.show(11_498_500), "USD 114,985.00");
        assert_eq!(u.show(-123_456_789), "USD -1,234,567.89");
        let yen = Currency::parse("JPY").unwrap();
        assert_eq!(yen.show(1_500_000), "JPY 1,500,000");
        let dinar = Currency::parse("KWD").unwrap();
        assert_eq!(dinar.show(1_234_567), "KWD 1,234.567");
        // What a form fills in stays as it is typed.
        assert_eq!(u.format(100_000), "1000.00");
    }

    #[test]
    fn amounts_parse_exactly() {
        let u = usd();
        assert_eq!(u.parse_amount("150", false), Ok(15000));
        assert_eq!(u.parse_amount("150.00", false), Ok(15000));
        assert_eq!(u.parse_amount("80.5", false), Ok(8050));
        assert_eq!(u.parse_amount("0.07", false), Ok(7));
        assert_eq!(u.parse_amount("0", false), Ok(0));
        assert_eq!(u.parse_amount("-12.25", true), Ok(-1225));
        assert_eq!(u.parse_amount("+3", false), Ok(300));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.parse_amount("1500", false), Ok(1500));
        assert!(
            jpy.parse_amount("1500.0", false)
                .unwrap_err()
                .contains("no decimals")
        );
        let kwd = Currency::parse("KWD").unwrap();
        assert_eq!(kwd.parse_amount("1.005", false), Ok(1005));
    }

    #[test]
    fn bad_amounts_are_refused_in_words() {
        let u = usd();
        assert!(
            u.parse_amount("150.001", false)
                .unwrap_err()
                .contains("has 3 decimals; USD has 2")
        );
        assert!(
            u.parse_amount("-5", false)
                .unwrap_err()
                .contains("negative")
        );
        for bad in [
            "", ".", "1.", ".5", "1,000", "1e3", "abc", "1.2.3", "--1", " - 1",
        ] {
            assert!(u.parse_amount(bad, true).is_err(), "{bad}");
        }
        assert!(
            u.parse_amount("99999999999999999999", false)
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn amounts_format_with_the_currency_digits() {
        assert_eq!(usd().format(15000), "150.00");
        assert_eq!(usd().format(-1205), "-12.05");
        assert_eq!(usd().format(7), "0.07");
        assert_eq!(usd().show(8050), "USD 80.50");
        assert_eq!(Currency::parse("JPY").unwrap().format(1500), "1500");
        assert_eq!(Currency::parse("KWD").unwrap().format(1005), "1.005");
    }

    #[test]
    fn percentages_are_basis_points() {
        assert_eq!(parse_percent("50"), Ok(5000));
        assert_eq!(parse_percent("12.5"), Ok(1250));
        assert_eq!(parse_percent("33.33%"), Ok(3333));
        assert_eq!(parse_percent("100"), Ok(10000));
        assert_eq!(parse_percent("0"), Ok(0));
        assert!(parse_percent("100.01").unwrap_err().contains("over 100"));
        assert!(parse_percent("12.345").is_err());
        assert!(parse_percent("-5").is_err());
        assert_eq!(format_percent(1250), "12.5");
        assert_eq!(format_percent(3333), "33.33");
        assert_eq!(format_percent(10000), "100");
    }

    #[test]
    fn rounding_is_half_to_even() {
        // The written rule, case by case: ties go to the even neighbour.
        assert_eq!(percent_of(5, 5000), 2); // 2.5 -> 2
        assert_eq!(percent_of(15, 5000), 8); // 7.5 -> 8
        assert_eq!(percent_of(25, 5000), 12); // 12.5 -> 12
        assert_eq!(percent_of(7, 5000), 4); // 3.5 -> 4
        assert_eq!(percent_of(10, 3333), 3); // 3.333 -> 3
        assert_eq!(percent_of(15000, 5000), 7500);
        assert_eq!(percent_of(12345, 1250), 1543); // 1543.125 -> 1543
        assert_eq!(percent_of(-5, 5000), -2); // -2.5 -> -2
        assert_eq!(percent_of(-15, 5000), -8); // -7.5 -> -8
        assert_eq!(div_half_even(1, 0), 0);
    }

    proptest! {
        #[test]
        fn format_then_parse_is_the_same_amount(minor in -MAX_AMOUNT..=MAX_AMOUNT) {
            for code in ["USD", "JPY", "KWD"] {
                let c = Currency::parse(code).unwrap();
                prop_assert_eq!(c.parse_amount(&c.format(minor), true), Ok(minor));
            }
        }

        #[test]
        fn rounding_is_within_half_a_unit_and_ties_are_even(n in -1_000_000_000i128..1_000_000_000, d in 1i128..20_000) {
            let q = div_half_even(n, d);
            // |n - q*d| <= d/2
            let diff = (n - q * d).abs();
            prop_assert!(2 * diff <= d);
            if 2 * diff == d {
                prop_assert_eq!(q % 2, 0);
            }
        }

        #[test]
        fn full_percent_is_the_amount(a in 0i64..MAX_AMOUNT) {
            prop_assert_eq!(percent_of(a, FULL), a);
            prop_assert_eq!(percent_of(a, 0), 0);
        }
    }
}
