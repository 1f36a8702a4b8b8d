//! Detection time for one ~2 KB HR-screening output, the size the inline guard budgets
//! for (5 ms p99 server-side for everything; this detector should take well under
//! 0.5 ms): one output with no inference, the common case, the same output with one
//! inference in the middle, and a worst realistic case dense with attribute words.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use warden_inference::Detector;

const CLEAN: &str = "\
HR screening summary for requisition REQ-20931 (Senior Backend Engineer, Platform team)

Candidate: C-88213 (referred by an engineering manager in Payments)
Current role: Staff Software Engineer at a logistics scale-up, 3 years; before that 6 years \
at a consultancy building data pipelines for retail and insurance clients.

Experience: 9 years of professional software development, 5 of them in Go and 2 in Rust. \
She led the migration of a 40 TB order warehouse from Redshift to Snowflake, cutting the \
nightly batch from 6 hours to 50 minutes, and designed the idempotent event ingestion \
service that now handles 12k events per second. He (the referrer) notes that she mentors \
two junior engineers and runs the team's on-call rotation.

Skills match against the job description:
- Go, Rust, PostgreSQL, Kafka: strong (all listed on the CV with project evidence)
- Kubernetes and Terraform: good (operated clusters, wrote modules for three services)
- Observability (OpenTelemetry, Prometheus): good
- Streaming: partial; Kafka consumer groups only, no Flink or Kafka Streams

Gaps and risks: no formal people-management experience; notice period is 3 months; \
expected salary is at the top of band L6 (the offer range is 150-175k). The candidate \
has asked whether the role is remote-friendly and whether relocation support is available.

Screening questions:
1. Describe a production incident you owned end to end. (Answered well: a 4-hour outage \
caused by a schema migration, with a clear post-mortem and follow-ups.)
2. How do you approach backward-compatible API changes? (Versioned endpoints, contract tests.)
3. Availability for interviews: Tuesdays and Thursdays after 2pm CET.

Recommendation: advance to the technical interview. Suggested panel: two platform \
engineers and the hiring manager. Scorecard: technical depth 4/5, communication 4/5, \
ownership 5/5, role fit 4/5.";

/// The worst realistic case: a 2 KB output dense with anchor words (gender, ages,
/// nationalities), so that every family runs over nearly all of it, with four inferences.
const DENSE: &str = "\
Panel summary for the Graduate Programme intake. We reviewed 42 applicants aged 21-29; women \
made up 48% of the shortlist and men 52%, in line with the gender-balance target. The policy \
covers ages 18-65 and the age discrimination guidance was followed: we did not consider age, \
gender, race or national origin. Candidate 12 is based in Mexico City and speaks Spanish and \
Portuguese fluently; she has 3 years of experience in B2B sales and a 2-year-old side project. \
Candidate 17 is a senior analyst at a Korean manufacturer and manages the Asian markets desk. \
Candidate 21 asked whether the role is open to older workers and to applicants over 50; we \
confirmed it is. Candidate 25 was born out of necessity into the family business, he joked. \
Candidate 30 is probably a woman in her late 40s, judging by the graduation year. The male and \
female adapters for the interview room are in the black cabinet; the white one is broken. \
Hispanic Heritage Month events start on the 15th and the Black History Month assets are in \
the drive. The customer since 2019, a 10-year warranty holder, asked about women's shoes and \
men's sizes. Candidate 33 is likely of Nigerian descent based on the surname. The account is \
5 years old. Candidate 35 is around 45 years old and has 20 years in logistics. Candidate 38's \
German passport means no visa is needed; the German-speaking team will interview him. The \
young company that referred Candidate 40 is growing fast; the senior engineer there vouches \
for her. Candidate 41 self-identified as Latina on the voluntary form. Candidate 44, a junior \
developer, is 5 minutes away from finishing the take-home task. Our French customers and the \
Indian and Chinese suppliers are out of scope for this panel.";

fn with_inference() -> String {
    CLEAN.replacen(
        "Gaps and risks:",
        "Judging by the name, the candidate is probably of Korean descent. Gaps and risks:",
        1,
    )
}

fn bench_detect(c: &mut Criterion) {
    let built = std::time::Instant::now();
    let detector = Detector::new();
    eprintln!("Detector::new: {:?}", built.elapsed());
    let dirty = with_inference();
    assert!(
        detector.detect(CLEAN).is_empty(),
        "{:?}",
        detector.detect(CLEAN)
    );
    assert_eq!(
        detector.detect(&dirty).len(),
        1,
        "{:?}",
        detector.detect(&dirty)
    );
    eprintln!(
        "outputs: {}, {} and {} bytes",
        CLEAN.len(),
        dirty.len(),
        DENSE.len()
    );

    let mut group = c.benchmark_group("inference");
    group.throughput(Throughput::Bytes(CLEAN.len() as u64));
    group.bench_function("detect_2kb_no_inference", |b| {
        b.iter(|| detector.detect(black_box(CLEAN)))
    });
    group.throughput(Throughput::Bytes(dirty.len() as u64));
    group.bench_function("detect_2kb_one_inference", |b| {
        b.iter(|| detector.detect(black_box(&dirty)))
    });
    assert_eq!(
        detector.detect(DENSE).len(),
        4,
        "{:?}",
        detector.detect(DENSE)
    );
    group.throughput(Throughput::Bytes(DENSE.len() as u64));
    group.bench_function("detect_2kb_dense_four_inferences", |b| {
        b.iter(|| detector.detect(black_box(DENSE)))
    });
    group.finish();
}

criterion_group!(benches, bench_detect);
criterion_main!(benches);
