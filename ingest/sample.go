package ingest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"fazhi"
)

// Sample years: 2016 (the first year of the 2015–2020 纲要) to 2024.
const (
	SampleFirstYear = 2016
	SampleLastYear  = 2024
	sampleSeed      = 20160101
)

// sampleDescription is the content of the sample's source record: it says
// plainly that the figures are generated, and its hash identifies the
// generator version, so a changed generator is a new source.
const sampleDescription = "fazhi 示例数据生成器 v1（固定种子 20160101）。" +
	"本来源中的全部数值均由程序生成，仅用于演示，不是真实统计数据。\n"

// GenerateSample returns plausible, deterministic figures for the sample
// bureaus of 张家港市 for 2016–2024 across the catalogue, with realistic
// gaps: bureaus that started reporting late, skipped a year or have not
// reported the latest year, and indicators left blank. Every observation
// has method sample and says so in its note.
func GenerateSample(cat *fazhi.Catalog) Bundle {
	src := fazhi.Source{
		ID: SHA256([]byte(sampleDescription)), FileName: "fazhi-sample-generator-v1.txt",
		Title: "示例数据（程序生成，非真实数据）", Publisher: "fazhi", MediaType: "text/plain; charset=utf-8",
		Size: int64(len(sampleDescription)), Content: []byte(sampleDescription),
		AddedAt: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	rng := rand.New(rand.NewPCG(sampleSeed, 582))
	b := Bundle{Method: fazhi.MethodSample, Note: "示例数据：程序生成的演示数据", Orgs: SampleOrgs(), Sources: []fazhi.Source{src}}
	for _, bureau := range sampleBureaus {
		quality := 0.75 + 0.2*rng.Float64() // how well run the bureau is, steady over years
		last := bureau.lastYear
		if last == 0 {
			last = SampleLastYear
		}
		for year := bureau.firstYear; year <= last; year++ {
			if year == bureau.skipYear {
				continue
			}
			values := sampleYear(rng, bureau, quality, year)
			for _, ind := range cat.Indicators { // catalogue order keeps the output stable
				value, ok := values[ind.Code]
				if !ok {
					continue
				}
				b.Observations = append(b.Observations, fazhi.Observation{
					OrgCode: ZhangjiagangCode + "-" + bureau.suffix, Year: year, IndicatorCode: ind.Code,
					Value: value, Unit: ind.Unit, Status: fazhi.StatusConfirmed, Method: fazhi.MethodSample,
					SourceID: src.ID, Location: fmt.Sprintf("seed %d", sampleSeed),
					Note: "示例数据：程序生成，非真实数据",
				})
			}
		}
	}
	return b
}

// sampleYear generates one bureau's figures for one year. Rates are computed
// from their parts, so the sample passes the same checks as real uploads.
// Every random draw happens in a fixed order, so the result is deterministic.
func sampleYear(rng *rand.Rand, b sampleBureau, quality float64, year int) map[string]float64 {
	t := float64(year - SampleFirstYear) // years since the start: most things improve
	s := b.scale
	n := func(base float64) float64 { // a count around base × scale, never negative
		return math.Max(0, math.Round(base*s*(0.75+0.5*rng.Float64())*(1+0.04*t)))
	}
	small := func(lo, hi int) float64 { return float64(lo + rng.IntN(hi-lo+1)) }
	v := map[string]float64{}

	required := n(18)
	v["ecert_items_required"] = required
	v["ecert_items_completed"] = math.Min(required, math.Round(required*math.Min(1, quality+0.04*t)))
	v["gov_service_items"] = n(1800)
	v["admin_approvals"] = n(650)
	v["double_random_inspections"] = n(10)
	v["normative_docs_issued"] = small(0, 4)
	v["normative_docs_reviewed"] = small(2, 12)
	v["major_decisions"] = small(0, 3)
	v["consultation_responses"] = n(260)
	v["legal_advisers"] = small(1, 3)
	v["public_lawyers"] = math.Min(6, math.Floor(t*quality*0.8))
	v["enforcement_staff_certified"] = n(22)
	takers := math.Max(1, n(9))
	v["enforcement_exam_takers"] = takers
	v["enforcement_exam_passed"] = math.Round(takers * math.Min(1, quality+0.1+0.05*rng.Float64()))
	v["enforcement_training_sessions"] = small(2, 9)
	cases := n(45 * s) // penalty work grows faster than scale: 公安, 市场监管
	v["admin_penalty_cases"] = cases
	v["penalty_amount"] = math.Round(cases*(0.15+0.3*rng.Float64())*10) / 10
	if year >= 2019 { // 镇域综合行政执法改革 delegated powers from 2019
		v["penalty_powers_delegated"] = small(0, 6)
	}
	if year >= 2020 { // 首违不罚 lists came in with the 2021 行政处罚法
		v["lenient_no_penalty_cases"] = math.Round(cases * (0.05 + 0.1*rng.Float64()))
	}
	recon := n(4)
	v["reconsideration_cases"] = recon
	v["reconsideration_corrected"] = math.Round(recon * 0.2 * rng.Float64() * (1.2 - quality))
	suits := n(3)
	v["litigation_cases"] = suits
	v["litigation_lost"] = math.Round(suits * 0.25 * rng.Float64() * (1.2 - quality))
	v["head_appearance_cases"] = math.Round(suits * math.Min(1, 0.45+0.07*t+0.1*rng.Float64()))
	v["petitions_handled"] = n(150)
	v["disclosure_requests"] = n(14)
	v["collective_law_study"] = small(2, 8)
	v["cadre_law_exams"] = small(30, 200)
	events := n(45)
	v["law_publicity_events"] = events
	v["law_publicity_participants"] = math.Round(events * (60 + 140*rng.Float64()))
	v["law_study_participants"] = small(100, 2500)
	v["leadership_meetings"] = small(1, 6)

	// Blanks: a bureau leaves about one indicator in twelve empty.
	for _, code := range sampleOrder {
		if _, ok := v[code]; ok && rng.IntN(12) == 0 {
			delete(v, code)
		}
	}
	// Rates from their parts, only where both parts are there and the
	// denominator is not zero (a bureau with no lawsuits has no loss rate).
	rate := func(code, num, den string) {
		nv, ok1 := v[num]
		dv, ok2 := v[den]
		if ok1 && ok2 && dv > 0 {
			v[code] = math.Round(1000*nv/dv) / 10
		}
	}
	rate("ecert_completion_rate", "ecert_items_completed", "ecert_items_required")
	rate("enforcement_exam_pass_rate", "enforcement_exam_passed", "enforcement_exam_takers")
	rate("litigation_loss_rate", "litigation_lost", "litigation_cases")
	rate("head_appearance_rate", "head_appearance_cases", "litigation_cases")
	return v
}

// sampleOrder fixes the order of the blank draws (map order is random).
var sampleOrder = []string{
	"ecert_items_required", "ecert_items_completed", "gov_service_items", "admin_approvals",
	"double_random_inspections", "normative_docs_issued", "normative_docs_reviewed", "major_decisions",
	"consultation_responses", "legal_advisers", "public_lawyers", "enforcement_staff_certified",
	"enforcement_exam_takers", "enforcement_exam_passed", "enforcement_training_sessions",
	"admin_penalty_cases", "penalty_amount", "penalty_powers_delegated", "lenient_no_penalty_cases",
	"reconsideration_cases", "reconsideration_corrected", "litigation_cases", "litigation_lost",
	"head_appearance_cases", "petitions_handled", "disclosure_requests", "collective_law_study",
	"cadre_law_exams", "law_publicity_events", "law_publicity_participants", "law_study_participants",
	"leadership_meetings",
}
