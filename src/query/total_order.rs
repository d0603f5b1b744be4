//! Total order for ORDER BY: before each sort key, a key naming the value's class (numbers and
//! resources share the empty class, any other literal its datatype), so that values which cannot
//! be compared with each other are never compared.
//!
//! The evaluator compares two numbers by value but a number and a string by their lexical forms,
//! which is not a total order (10 > 9, "9" > "5", "5" > "10"), and the standard library's sort
//! panics when it notices. With the class key first, numbers are only compared with numbers and
//! each datatype with itself. The order stays SPARQL's (unbound, blank nodes, IRIs, literals) and
//! a column of one kind sorts exactly as before.

use oxigraph::model::Literal;
use spargebra::algebra::{Expression, Function, GraphPattern, OrderExpression};
use spargebra::Query;

/// Puts a class key before every sort key of every ORDER BY in `query` (sub-queries included).
pub(super) fn make_orders_total(query: &mut Query) {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Ask { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. } => pattern,
    };
    visit(pattern);
}

fn visit(pattern: &mut GraphPattern) {
    match pattern {
        GraphPattern::OrderBy { inner, expression } => {
            visit(inner);
            *expression = expression.drain(..).flat_map(with_class_key).collect();
        }
        GraphPattern::Bgp { .. }
        | GraphPattern::Path { .. }
        | GraphPattern::Values { .. }
        | GraphPattern::Service { .. } => {}
        GraphPattern::Join { left, right }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right }
        | GraphPattern::LeftJoin { left, right, .. } => {
            visit(left);
            visit(right);
        }
        GraphPattern::Filter { inner, .. }
        | GraphPattern::Extend { inner, .. }
        | GraphPattern::Group { inner, .. }
        | GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => visit(inner),
    }
}

/// `key` preceded by its class key, in the same direction.
fn with_class_key(key: OrderExpression) -> [OrderExpression; 2] {
    match key {
        OrderExpression::Asc(value) => [
            OrderExpression::Asc(class_of(&value)),
            OrderExpression::Asc(value),
        ],
        OrderExpression::Desc(value) => [
            OrderExpression::Desc(class_of(&value)),
            OrderExpression::Desc(value),
        ],
    }
}

/// `IF(isNUMERIC(v) || !isLITERAL(v), "", STR(DATATYPE(v)))`: always a simple literal (or unbound
/// where `v` is, which sorts first as `v` itself would).
fn class_of(value: &Expression) -> Expression {
    let call = |function, argument: &Expression| {
        Expression::FunctionCall(function, vec![argument.clone()])
    };
    let numeric_or_resource = Expression::Or(
        Box::new(call(Function::IsNumeric, value)),
        Box::new(Expression::Not(Box::new(call(Function::IsLiteral, value)))),
    );
    let datatype = Expression::FunctionCall(Function::Str, vec![call(Function::Datatype, value)]);
    Expression::If(
        Box::new(numeric_or_resource),
        Box::new(Expression::Literal(Literal::new_simple_literal(""))),
        Box::new(datatype),
    )
}

#[cfg(test)]
mod tests {
    use oxigraph::io::RdfFormat;
    use oxigraph::store::Store;

    use crate::query::{evaluate, Answer};

    /// Numbers and strings whose lexical order disagrees with their numeric order, enough of them
    /// for the sort to notice an inconsistent comparison.
    fn mixed_store() -> Store {
        let store = Store::new().unwrap();
        let mut turtle = String::from("@prefix ex: <http://example.org/> .\n");
        for i in 0..200 {
            turtle.push_str(&format!("ex:n{i} ex:v {} .\n", (i * 7919) % 1000));
            turtle.push_str(&format!("ex:s{i} ex:v \"{}\" .\n", (i * 104_729) % 997));
        }
        store
            .load_from_slice(RdfFormat::Turtle, turtle.as_bytes())
            .unwrap();
        store
    }

    fn column(answer: Answer) -> Vec<String> {
        let Answer::Solutions(_, rows) = answer else {
            panic!("a SELECT query answers with solutions");
        };
        rows.into_iter()
            .map(|row| row[0].as_ref().map_or(String::new(), ToString::to_string))
            .collect()
    }

    #[test]
    fn a_column_mixing_numbers_and_strings_sorts_numbers_first_each_by_its_own_order() {
        let store = mixed_store();
        let sorted = column(
            evaluate(
                &store,
                "SELECT ?v WHERE { ?s <http://example.org/v> ?v } ORDER BY ?v",
            )
            .unwrap(),
        );
        assert_eq!(sorted.len(), 400);
        let numbers: Vec<i64> = sorted[..200]
            .iter()
            .map(|v| v.split('"').nth(1).unwrap().parse().unwrap())
            .collect();
        assert!(
            numbers.windows(2).all(|pair| pair[0] <= pair[1]),
            "{numbers:?}"
        );
        let strings: Vec<&str> = sorted[200..]
            .iter()
            .map(|v| v.split('"').nth(1).unwrap())
            .collect();
        assert!(sorted[200..].iter().all(|v| !v.contains("integer")));
        assert!(
            strings.windows(2).all(|pair| pair[0] <= pair[1]),
            "{strings:?}"
        );
    }

    #[test]
    fn descending_order_reverses_classes_and_values() {
        let store = mixed_store();
        let sorted = column(
            evaluate(
                &store,
                "SELECT ?v WHERE { ?s <http://example.org/v> ?v } ORDER BY DESC(?v) LIMIT 3",
            )
            .unwrap(),
        );
        assert_eq!(sorted, ["\"985\"", "\"984\"", "\"983\""]);
    }

    #[test]
    fn a_sub_query_with_a_mixed_order_and_a_limit_is_sorted_too() {
        let store = mixed_store();
        let sorted = column(
            evaluate(
                &store,
                "SELECT ?v WHERE { { SELECT ?v WHERE { ?s <http://example.org/v> ?v } ORDER BY ?v LIMIT 2 } }",
            )
            .unwrap(),
        );
        assert_eq!(sorted.len(), 2);
        assert!(sorted.iter().all(|v| v.contains("integer")), "{sorted:?}");
    }
}
