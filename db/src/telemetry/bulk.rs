//! What the two ways of writing many rows at once share: a table's column list, from which
//! SQLite's multi-row VALUES and PostgreSQL's unnested arrays are both spelt, so the two
//! cannot list the columns differently.

/// A table's columns in insert order, each with its PostgreSQL array type.
pub(super) type Columns = [(&'static str, &'static str)];

/// `a, b, c`: the column list of an insert.
pub(super) fn names(columns: &Columns) -> String {
    let names: Vec<&str> = columns.iter().map(|c| c.0).collect();
    names.join(", ")
}

/// `insert into TABLE (a, b) select * from unnest($1::text[], $2::bigint[])`: one array
/// parameter per column, bound in the list's order.
pub(super) fn unnest_insert(table: &str, columns: &Columns) -> String {
    let arrays: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, array))| format!("${}::{array}", i + 1))
        .collect();
    format!(
        "insert into {table} ({}) select * from unnest({})",
        names(columns),
        arrays.join(", ")
    )
}

/// One column's values, for a PostgreSQL array parameter: `column!(rows, |r| expr)`.
macro_rules! column {
    ($rows:expr, |$row:ident| $value:expr) => {
        $rows.iter().map(|$row| $value).collect::<Vec<_>>()
    };
}
pub(super) use column;
