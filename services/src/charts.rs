//! The dashboards' charts, drawn on the server as SVG with plotters: time on the x axis
//! with labels that suit the range, a unit on the y axis, a legend when there is more than
//! one series. A gap in the data (a step without interactions) is a gap in the line, not a
//! drop to zero.

use plotters::prelude::*;
use warden_domain::metrics::range::{DAY_MS, HOUR_MS};
use warden_domain::timefmt::iso_utc;

/// The palette, in series order (readable on white, distinct for common colour blindness).
const COLOURS: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

const WIDTH: u32 = 560;
const HEIGHT: u32 = 250;

/// One line of a chart: values by epoch ms; `None` where there is nothing to show.
pub struct Series {
    pub name: String,
    pub points: Vec<(i64, Option<f64>)>,
}

/// How a y value is written on the axis.
#[derive(Debug, Clone, Copy)]
pub enum Unit {
    Percent,
    Millis,
    Count,
    Money,
}

fn label(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Percent => format!("{:.0}%", v * 100.0),
        Unit::Millis if v >= 10_000.0 => format!("{:.0} s", v / 1000.0),
        Unit::Millis if v >= 1_000.0 => format!("{:.1} s", v / 1000.0),
        Unit::Millis => format!("{v:.0} ms"),
        // Small counts get ticks between whole numbers: 0.5 must not read as 0 or 1.
        Unit::Count if v.fract().abs() > 1e-9 && v.abs() < 10.0 => format!("{v:.1}"),
        Unit::Count => format!("{v:.0}"),
        Unit::Money if v == 0.0 => "0".to_string(),
        Unit::Money if v >= 10.0 => format!("{v:.0}"),
        Unit::Money if v >= 0.1 => format!("{v:.2}"),
        Unit::Money => format!("{v:.4}"),
    }
}

/// `HH:MM` within two days, `MM-DD HH:MM` within a week, else `MM-DD`.
fn time_label(t: i64, span_ms: i64) -> String {
    let iso = iso_utc(t);
    if span_ms <= 2 * DAY_MS {
        iso[11..16].to_string()
    } else if span_ms <= 7 * DAY_MS {
        format!("{} {}", &iso[5..10], &iso[11..16])
    } else {
        iso[5..10].to_string()
    }
}

/// A line chart over `[from, to)`; `y_desc` names the axis with its unit.
pub fn line_chart(from: i64, to: i64, y_desc: &str, unit: Unit, series: &[Series]) -> String {
    let mut svg = String::new();
    if let Err(err) = draw_lines(&mut svg, from, to.max(from + 1), y_desc, unit, series) {
        tracing::warn!(error = %err, "drawing a chart");
        return String::new();
    }
    svg
}

fn draw_lines(
    svg: &mut String,
    from: i64,
    to: i64,
    y_desc: &str,
    unit: Unit,
    series: &[Series],
) -> Result<(), Box<dyn std::error::Error>> {
    let unit_of_y = unit;
    let top = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1))
        .fold(0.0f64, f64::max);
    let y_max = match unit {
        Unit::Percent => top.clamp(0.05, 1.0) * 1.1,
        _ if top <= 0.0 => 1.0,
        _ => top * 1.15,
    };
    // Time runs in hours (or days, past two days) from a midnight, so that the axis's round
    // numbers fall on round times.
    let span = to - from;
    let unit = if span <= 2 * DAY_MS { HOUR_MS } else { DAY_MS };
    let origin = from.div_euclid(DAY_MS) * DAY_MS;
    let x = |t: i64| (t - origin) as f64 / unit as f64;
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d(x(from)..x(to), 0.0..y_max)?;
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(5)
        .x_label_formatter(&|v| time_label(origin + (v * unit as f64).round() as i64, span))
        .y_label_formatter(&|v| label(unit_of_y, *v))
        .y_desc(y_desc)
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(220, 220, 220))
        .axis_desc_style(("sans-serif", 14))
        .label_style(("sans-serif", 13))
        .draw()?;
    for (i, s) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        // Each run of points with values is one line.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for &(t, v) in &s.points {
            match v {
                Some(v) => runs.last_mut().map(|r| r.push((x(t), v))).unwrap_or(()),
                None => runs.push(Vec::new()),
            }
        }
        let mut labelled = false;
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            let singles = (run.len() == 1).then(|| run[0]);
            let drawn = chart.draw_series(LineSeries::new(run, colour.stroke_width(2)))?;
            if !labelled {
                labelled = true;
                drawn.label(s.name.clone()).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(3))
                });
            }
            // A lone point would be invisible as a line.
            if let Some(p) = singles {
                chart.draw_series(std::iter::once(Circle::new(p, 3, colour.filled())))?;
            }
        }
    }
    if series.len() > 1 {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .label_font(("sans-serif", 13))
            .draw()?;
    }
    root.present()?;
    Ok(())
}

/// Vertical bars, one per label (a day's spend), with values written on the y axis.
pub fn bar_chart(labels: &[String], values: &[f64], y_desc: &str, unit: Unit) -> String {
    let mut svg = String::new();
    if let Err(err) = draw_bars(&mut svg, labels, values, y_desc, unit) {
        tracing::warn!(error = %err, "drawing a chart");
        return String::new();
    }
    svg
}

fn draw_bars(
    svg: &mut String,
    labels: &[String],
    values: &[f64],
    y_desc: &str,
    unit: Unit,
) -> Result<(), Box<dyn std::error::Error>> {
    let n = values.len().max(1) as u32;
    let top = values.iter().copied().fold(0.0f64, f64::max);
    let y_max = if top <= 0.0 { 1.0 } else { top * 1.15 };
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d((0u32..n).into_segmented(), 0.0..y_max)?;
    let every = (n / 10).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n as usize)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) if i % every == 0 => {
                labels.get(*i as usize).cloned().unwrap_or_default()
            }
            _ => String::new(),
        })
        .y_labels(5)
        .y_label_formatter(&|v| label(unit, *v))
        .y_desc(y_desc)
        .light_line_style(RGBColor(238, 238, 238))
        .axis_desc_style(("sans-serif", 14))
        .label_style(("sans-serif", 13))
        .draw()?;
    chart.draw_series(
        Histogram::vertical(&chart)
            .style(COLOURS[0].filled())
            .margin(3)
            .data(values.iter().enumerate().map(|(i, v)| (i as u32, *v))),
    )?;
    root.present()?;
    Ok(())
}

/// A month's spend against its budget: the spend so far added up day by day, the
/// forecast from now to the month's end with its 80% band, and the budget as a line.
pub struct BudgetPlot<'a> {
    pub month_start: i64,
    pub month_end: i64,
    pub now: i64,
    /// (end of day, or now for today; spend added up to then), in time order.
    pub cumulative: &'a [(i64, f64)],
    pub forecast: &'a warden_domain::metrics::budget::Forecast,
    pub budget: Option<f64>,
    pub y_desc: &'a str,
}

pub fn budget_chart(plot: &BudgetPlot) -> String {
    let mut svg = String::new();
    if let Err(err) = draw_budget(&mut svg, plot) {
        tracing::warn!(error = %err, "drawing a chart");
        return String::new();
    }
    svg
}

fn draw_budget(svg: &mut String, p: &BudgetPlot) -> Result<(), Box<dyn std::error::Error>> {
    let spent = p.cumulative.last().map_or(0.0, |c| c.1);
    let f = p.forecast;
    let top = [
        spent,
        f.expected,
        f.high.unwrap_or(0.0),
        p.budget.unwrap_or(0.0),
    ]
    .into_iter()
    .fold(0.0f64, f64::max);
    let y_max = if top <= 0.0 { 1.0 } else { top * 1.1 };
    let day = |t: i64| (t - p.month_start) as f64 / DAY_MS as f64;
    let days = day(p.month_end);
    let root = SVGBackend::with_string(svg, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(64)
        .build_cartesian_2d(0.0..days, 0.0..y_max)?;
    let start = p.month_start;
    chart
        .configure_mesh()
        .x_labels(8)
        .y_labels(5)
        .x_label_formatter(&|v| {
            iso_utc(start + (v * DAY_MS as f64).round() as i64)[5..10].to_string()
        })
        .y_label_formatter(&|v| label(Unit::Money, *v))
        .y_desc(p.y_desc)
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(220, 220, 220))
        .axis_desc_style(("sans-serif", 14))
        .label_style(("sans-serif", 13))
        .draw()?;
    let (now, end) = (day(p.now), days);
    if let (Some(low), Some(high)) = (f.low, f.high) {
        let band = vec![(now, spent), (end, high), (end, low)];
        chart
            .draw_series(std::iter::once(Polygon::new(
                band,
                COLOURS[1].mix(0.2).filled(),
            )))?
            .label("80% interval")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 18, y + 5)], COLOURS[1].mix(0.2).filled())
            });
    }
    let mut line = vec![(0.0, 0.0)];
    line.extend(p.cumulative.iter().map(|(t, v)| (day(*t), *v)));
    chart
        .draw_series(LineSeries::new(line, COLOURS[0].stroke_width(2)))?
        .label("spent")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], COLOURS[0].stroke_width(3)));
    chart
        .draw_series(DashedLineSeries::new(
            vec![(now, spent), (end, f.expected)],
            6,
            4,
            COLOURS[1].stroke_width(2),
        ))?
        .label("forecast")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], COLOURS[1].stroke_width(3)));
    if let Some(budget) = p.budget {
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, budget), (end, budget)],
                COLOURS[3].stroke_width(2),
            ))?
            .label("budget")
            .legend(|(x, y)| {
                PathElement::new(vec![(x, y), (x + 18, y)], COLOURS[3].stroke_width(3))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 13))
        .draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_chart_is_an_svg_with_its_axis_legend_and_a_gap_where_data_is_missing() {
        let t0 = 1_800_000_000_000;
        let series = vec![
            Series {
                name: "support-agent".into(),
                points: vec![
                    (t0, Some(0.1)),
                    (t0 + 60_000, None),
                    (t0 + 120_000, Some(0.3)),
                ],
            },
            Series {
                name: "sales-agent".into(),
                points: vec![(t0, Some(0.2)), (t0 + 60_000, Some(0.25))],
            },
        ];
        let svg = line_chart(t0, t0 + 180_000, "error rate", Unit::Percent, &series);
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
        assert!(svg.contains("error rate"));
        assert!(svg.contains("support-agent") && svg.contains("sales-agent"));
        assert!(svg.contains("30%") || svg.contains("20%"), "percent labels");
        // The first series' gap: two separate pieces (a line is a polyline; a lone point a circle).
        assert!(svg.matches("<circle").count() >= 2);
    }

    #[test]
    fn small_counts_keep_their_half_ticks() {
        assert_eq!(label(Unit::Count, 0.5), "0.5");
        assert_eq!(label(Unit::Count, 2.0), "2");
        assert_eq!(label(Unit::Count, 12.5), "12");
    }

    #[test]
    fn a_bar_chart_labels_its_bars() {
        let svg = bar_chart(
            &["12-01".into(), "12-02".into()],
            &[1.5, 3.0],
            "spend (EUR)",
            Unit::Money,
        );
        assert!(svg.contains("12-01") && svg.contains("spend (EUR)"));
        assert!(svg.contains("<rect"));
    }

    #[test]
    fn a_budget_chart_shows_spend_forecast_band_and_budget() {
        use warden_domain::metrics::budget::{Forecast, month_bounds};
        let now = warden_domain::timefmt::parse_date("2026-12-10").unwrap();
        let (month_start, month_end) = month_bounds(now);
        let cumulative: Vec<(i64, f64)> = (1..=9)
            .map(|d| (month_start + d * DAY_MS, d as f64 * 10.0))
            .collect();
        let forecast = Forecast {
            expected: 310.0,
            low: Some(280.0),
            high: Some(340.0),
            history_days: 9,
        };
        let svg = budget_chart(&BudgetPlot {
            month_start,
            month_end,
            now,
            cumulative: &cumulative,
            forecast: &forecast,
            budget: Some(250.0),
            y_desc: "spend this month (EUR)",
        });
        for text in [
            "80% interval",
            "forecast",
            "budget",
            "spent",
            "12-01",
            "spend this month (EUR)",
        ] {
            assert!(svg.contains(text), "{text}");
        }
        assert!(svg.contains("<polygon"), "the band");
    }
}
