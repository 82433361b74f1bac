package analytics

import (
	"math"
	"sort"

	"fazhi"
)

// IndexRow is a bureau's composite index: its area scores (weighted means
// of its normalised indicator scores) and their weighted mean.
type IndexRow struct {
	Org       string
	Composite float64            // NaN when the bureau is not ranked
	Areas     map[string]float64 // area code → score; absent when it reported no scored indicator of the area
	Scored    int                // indicators it has a score for
	Possible  int                // indicators that can be scored in the group
	Rank      int                // 1 = best; 0 when not ranked
}

// Ranked is true when the bureau reported enough to be ranked: at least
// half of the indicators that can be scored in its group.
func (r IndexRow) Ranked() bool { return r.Rank > 0 }

// CompositeIndex scores the bureaus orgs from a score matrix with a
// methodology's weights. How missing figures are treated:
//   - a missing indicator is neither zero nor an average: the area score is
//     the weighted mean of the indicators the bureau did report (weights
//     renormalised), and the composite the weighted mean of its areas that
//     have a score;
//   - an indicator that cannot be compared (one bureau in the group reported
//     it) scores for nobody;
//   - a bureau with scores for fewer than half of the comparable indicators
//     is listed but not ranked.
//
// Rows come best first, unranked bureaus last; ties share a rank.
func CompositeIndex(cat *fazhi.Catalog, m ScoreMatrix, orgs []string, meth Methodology) []IndexRow {
	in := newIndexInput(cat, m, orgs)
	return in.rank(in.weights(meth, "", "", 1))
}

// RankShift says how far a bureau's rank moves when any single weight of
// the methodology changes by ±Delta.
type RankShift struct {
	Org         string
	Rank        int // under the methodology as saved
	Best, Worst int // best and worst rank over all single-weight changes
	// The change that moves the bureau furthest: a weight (kind "area" or
	// "indicator", code) multiplied by Factor (1 − Delta or 1 + Delta).
	CauseKind, CauseCode string
	CauseFactor          float64
}

// Move is the largest distance from Rank to Best or Worst.
func (s RankShift) Move() int { return max(s.Rank-s.Best, s.Worst-s.Rank) }

// Sensitivity recomputes the ranking with each weight (of every area and
// every scored indicator whose weight is not zero) multiplied by 1 − delta
// and 1 + delta, one at a time, and reports for each ranked bureau how far
// its rank moves. Rows follow the ranking.
func Sensitivity(cat *fazhi.Catalog, m ScoreMatrix, orgs []string, meth Methodology, delta float64) []RankShift {
	in := newIndexInput(cat, m, orgs)
	base := in.rank(in.weights(meth, "", "", 1))
	var out []RankShift
	pos := map[string]int{}
	for _, r := range base {
		if !r.Ranked() {
			continue
		}
		pos[r.Org] = len(out)
		out = append(out, RankShift{Org: r.Org, Rank: r.Rank, Best: r.Rank, Worst: r.Rank})
	}
	try := func(kind, code string) {
		for _, factor := range []float64{1 - delta, 1 + delta} {
			for _, r := range in.rank(in.weights(meth, kind, code, factor)) {
				i, ok := pos[r.Org]
				if !ok || !r.Ranked() {
					continue
				}
				s := &out[i]
				move := max(s.Rank-r.Rank, r.Rank-s.Rank)
				if move > s.Move() {
					s.CauseKind, s.CauseCode, s.CauseFactor = kind, code, factor
				}
				s.Best, s.Worst = min(s.Best, r.Rank), max(s.Worst, r.Rank)
			}
		}
	}
	for _, a := range cat.Areas {
		if meth.AreaWeight(a.Code) > 0 {
			try("area", a.Code)
		}
	}
	for _, ind := range in.inds {
		if meth.IndicatorWeight(ind.Code) > 0 {
			try("indicator", ind.Code)
		}
	}
	return out
}

// indexInput is a score matrix laid out for repeated weighting.
type indexInput struct {
	cat   *fazhi.Catalog
	orgs  []string
	inds  []fazhi.Indicator // scored indicators, catalogue order
	area  []int             // area index of each indicator
	score [][]float64       // [org][indicator], NaN when missing or not comparable
	// possible is the number of indicators that anyone in the group can be scored on.
	possible int
}

func newIndexInput(cat *fazhi.Catalog, m ScoreMatrix, orgs []string) *indexInput {
	in := &indexInput{cat: cat, orgs: orgs, inds: Scored(cat)}
	areaPos := map[string]int{}
	for i, a := range cat.Areas {
		areaPos[a.Code] = i
	}
	comparable := make([]bool, len(in.inds))
	for _, ind := range in.inds {
		in.area = append(in.area, areaPos[ind.Area])
	}
	for _, org := range orgs {
		row := make([]float64, len(in.inds))
		for j, ind := range in.inds {
			row[j] = math.NaN()
			if c, ok := m.Cells[org][ind.Code]; ok && !math.IsNaN(c.Score) {
				row[j], comparable[j] = c.Score, true
			}
		}
		in.score = append(in.score, row)
	}
	for _, c := range comparable {
		if c {
			in.possible++
		}
	}
	return in
}

// weights returns the area and indicator weights of meth, with one weight
// (kind, code) multiplied by factor.
func (in *indexInput) weights(meth Methodology, kind, code string, factor float64) (areas, inds []float64) {
	for _, a := range in.cat.Areas {
		w := meth.AreaWeight(a.Code)
		if kind == "area" && code == a.Code {
			w *= factor
		}
		areas = append(areas, w)
	}
	for _, ind := range in.inds {
		w := meth.IndicatorWeight(ind.Code)
		if kind == "indicator" && code == ind.Code {
			w *= factor
		}
		inds = append(inds, w)
	}
	return areas, inds
}

func (in *indexInput) rank(areaW, indW []float64) []IndexRow {
	out := make([]IndexRow, len(in.orgs))
	sum := make([]float64, len(areaW))
	wsum := make([]float64, len(areaW))
	for i, org := range in.orgs {
		clear(sum)
		clear(wsum)
		r := IndexRow{Org: org, Composite: math.NaN(), Areas: map[string]float64{}, Possible: in.possible}
		for j, s := range in.score[i] {
			if math.IsNaN(s) {
				continue
			}
			r.Scored++
			if indW[j] > 0 {
				sum[in.area[j]] += indW[j] * s
				wsum[in.area[j]] += indW[j]
			}
		}
		var total, weight float64
		for a, ws := range wsum {
			if ws == 0 {
				continue
			}
			score := sum[a] / ws
			r.Areas[in.cat.Areas[a].Code] = score
			if areaW[a] > 0 {
				total += areaW[a] * score
				weight += areaW[a]
			}
		}
		if weight > 0 && in.possible > 0 && 2*r.Scored >= in.possible {
			r.Composite = total / weight
		}
		out[i] = r
	}
	sort.SliceStable(out, func(a, b int) bool {
		ca, cb := out[a].Composite, out[b].Composite
		switch {
		case math.IsNaN(ca):
			return false
		case math.IsNaN(cb):
			return true
		}
		return ca > cb
	})
	for i := range out {
		if math.IsNaN(out[i].Composite) {
			break
		}
		out[i].Rank = i + 1
		if i > 0 && math.Abs(out[i].Composite-out[i-1].Composite) < 1e-9 {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}
