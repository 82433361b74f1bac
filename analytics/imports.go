package analytics

import (
	"context"
	"fmt"
	"strings"

	"fazhi"
)

// Upload is one uploaded file as a reader parsed it, ready for the checks
// that need the warehouse: which org each row names, duplicates, part ≤
// whole, and last year's figures. It becomes one batch, whole or not at all.
type Upload struct {
	Batch  fazhi.Batch // CreatedBy and Note are read
	Source fazhi.Source
	Format string // what the reader took the file for: ingest.FormatTemplate …
	Rows   int    // data rows read
	// Observations are the rows the reader accepted; Observations[i] names
	// the org Orgs[OrgOf[i]], which Import resolves into OrgCode.
	Observations []fazhi.Observation
	Orgs         []fazhi.OrgRef
	OrgOf        []int32
	// Problems and Refused are what the reader refused already.
	Problems []fazhi.Problem
	Refused  int
	Notices  []string
	DryRun   bool
	// Scope, when not nil, limits the orgs rows may name: a reporter
	// imports for its own org and those below it only. A row of any other
	// org is refused, and with it the whole file.
	Scope *OrgScope
}

// OrgScope is the orgs an importer may write figures for: Org and those
// below it (Orgs, see OrgAndBelow).
type OrgScope struct {
	Org  string
	Orgs []string
}

// ImportSummary is what an import (or its dry run) did or would do.
type ImportSummary struct {
	File      string `json:"file"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	Format    string `json:"format"`
	DryRun    bool   `json:"dry_run"`
	Stored    bool   `json:"stored"` // a batch was recorded
	BatchID   string `json:"batch_id,omitempty"`
	CreatedBy string `json:"created_by"`
	Rows      int    `json:"rows"`
	New       int    `json:"new"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Refused   int    `json:"refused"`
	Flagged   int    `json:"flagged"`
	// OutOfScope counts the refused rows of orgs the importer may not
	// write for (see Upload.Scope).
	OutOfScope int             `json:"out_of_scope,omitempty"`
	Problems   []fazhi.Problem `json:"problems"`
	Flags      []Flag          `json:"flags"`
	Notices    []string        `json:"notices,omitempty"`
}

// Accepted is true when no value of the file was refused.
func (s ImportSummary) Accepted() bool { return s.Refused == 0 && len(s.Problems) == 0 }

// MaxProblems bounds the problems a summary lists; Refused counts them all.
const MaxProblems = 500

// Import checks an uploaded file's rows against the warehouse and stores
// them as one batch of method upload, or, when any row is refused or on a
// dry run, stores nothing and says what a real import would have done.
// A refused file returns its summary and an EINVALID error. Import uses
// u.Observations as its working space: they are not to be used after.
func (w *Warehouse) Import(ctx context.Context, u Upload) (ImportSummary, error) {
	s := ImportSummary{File: u.Source.FileName, SHA256: u.Source.ID, Size: u.Source.Size, Format: u.Format,
		DryRun: u.DryRun, CreatedBy: u.Batch.CreatedBy, Rows: u.Rows, Refused: u.Refused,
		Problems: u.Problems, Notices: u.Notices}
	if len(u.OrgOf) != len(u.Observations) {
		return s, fmt.Errorf("import %s: %d observations but %d org references", s.File, len(u.Observations), len(u.OrgOf))
	}
	codes, err := w.resolveOrgs(ctx, u.Orgs)
	if err != nil {
		return s, fmt.Errorf("import %s: %w", s.File, err)
	}
	// The rows are resolved and compacted in place: a copy of a million
	// observations would cost 200 MB.
	good := u.Observations[:0]
	refuse := func(o fazhi.Observation, reason string) {
		s.Refused++
		if len(s.Problems) < MaxProblems {
			s.Problems = append(s.Problems, fazhi.ProblemAt(s.File, o.Location, reason))
		}
	}
	var within map[string]bool
	firstOut := "" // where the first row out of scope is
	if u.Scope != nil {
		within = make(map[string]bool, len(u.Scope.Orgs))
		for _, c := range u.Scope.Orgs {
			within[c] = true
		}
	}
	for i, o := range u.Observations {
		c := codes[u.OrgOf[i]]
		if c.err != "" {
			refuse(o, c.err)
			continue
		}
		if within != nil && !within[c.code] {
			if s.OutOfScope == 0 {
				firstOut = fazhi.LocationLabel(o.Location)
			}
			s.OutOfScope++
			refuse(o, fmt.Sprintf("无权填报单位 %s 的数据：只能导入本单位（%s）及其下级单位的数据", c.code, u.Scope.Org))
			continue
		}
		o.OrgCode = c.code
		good = append(good, o)
	}
	good = w.checkRows(good, refuse)

	// The counts come from the loader itself, so a dry run says exactly what
	// a real import would do; a refused file is counted the same way.
	batch := u.Batch
	batch.Method = fazhi.MethodUpload
	b, flags, err := w.load(ctx, Load{Batch: batch, Sources: []fazhi.Source{u.Source}, Observations: good,
		DryRun: u.DryRun || !s.Accepted(), Review: true})
	if err != nil {
		if fazhi.ErrorCode(err) != fazhi.EINVALID {
			return s, fmt.Errorf("import %s: %w", s.File, err)
		}
		s.Refused++
		s.Problems = append(s.Problems, fazhi.Problem{File: s.File, Reason: fazhi.ErrorMessage(err)})
	}
	s.New, s.Updated, s.Unchanged, s.Flagged, s.Flags = b.New, b.Updated, b.Unchanged, b.Flagged, flags
	if s.Problems == nil { // [] rather than null in JSON
		s.Problems = []fazhi.Problem{}
	}
	fazhi.SortProblems(s.Problems)
	if s.Flags == nil {
		s.Flags = []Flag{}
	}
	if !s.Accepted() {
		if u.DryRun {
			return s, nil
		}
		if s.OutOfScope > 0 {
			return s, fazhi.Errorf(fazhi.EINVALID, "%s：%d 行的单位不在您的填报范围内（第一处：%s），整个文件未导入（见问题清单）",
				s.File, s.OutOfScope, firstOut)
		}
		return s, fazhi.Errorf(fazhi.EINVALID, "%s：%d 个数值未通过检查，整个文件未导入（见问题清单）", s.File, s.Refused)
	}
	s.BatchID, s.Stored = b.ID, b.ID != ""
	return s, nil
}

// checkRows refuses, with every offending row named, figures stated twice
// for one (org, year, indicator) and parts that exceed their whole (passed
// exam > candidates) within the file, and returns the rows that pass.
func (w *Warehouse) checkRows(obs []fazhi.Observation, refuse func(fazhi.Observation, string)) []fazhi.Observation {
	// A figure's key packs the org's number in this batch, the year and the
	// indicator's place in the catalogue into one integer: a map of a
	// million string keys is several times slower. The keys are computed
	// once, so the bound checks below never walk the observations again.
	indNum := make(map[string]uint64, len(w.catalog.Indicators))
	for i, ind := range w.catalog.Indicators {
		indNum[ind.Code] = uint64(i)
	}
	bounds := make([][]fazhi.Bound, len(w.catalog.Indicators)) // by the part's number
	for _, bd := range w.catalog.Bounds() {
		bounds[indNum[bd.Part]] = append(bounds[indNum[bd.Part]], bd)
	}
	orgNum := map[string]uint64{}
	keys := make([]uint64, len(obs))
	lastOrg, lastNum := "", uint64(0)
	lastInd, lastIndNum := "", uint64(0)
	for i, o := range obs {
		if o.OrgCode != lastOrg || i == 0 {
			n, ok := orgNum[o.OrgCode]
			if !ok {
				n = uint64(len(orgNum))
				orgNum[o.OrgCode] = n
			}
			lastOrg, lastNum = o.OrgCode, n
		}
		if o.IndicatorCode != lastInd || i == 0 {
			lastInd, lastIndNum = o.IndicatorCode, indNum[o.IndicatorCode]
		}
		keys[i] = lastNum<<32 | uint64(o.Year)<<16 | lastIndNum
	}
	const indMask = 1<<16 - 1
	seen := make(map[uint64]int32, len(obs))
	bad := make([]bool, len(obs))
	for i, k := range keys {
		if j, dup := seen[k]; dup {
			bad[i] = true
			o := obs[i]
			refuse(o, fmt.Sprintf("与%s重复：%s %d 年的“%s”只能填一次", fazhi.LocationLabel(obs[j].Location), o.OrgCode, o.Year, w.indicatorName(o.IndicatorCode)))
			continue
		}
		seen[k] = int32(i)
	}
	for i, k := range keys {
		for _, bd := range bounds[k&indMask] {
			j, ok := seen[k&^indMask|indNum[bd.Whole]]
			if bad[i] || !ok || bad[j] || obs[i].Value <= obs[j].Value {
				continue
			}
			bad[i] = true
			refuse(obs[i], fmt.Sprintf("“%s”%s 大于%s的“%s”%s（%s）", w.indicatorName(bd.Part), trimFloat(obs[i].Value),
				fazhi.LocationLabel(obs[j].Location), w.indicatorName(bd.Whole), trimFloat(obs[j].Value), bd.Why))
		}
	}
	out := obs[:0]
	for i, o := range obs {
		if !bad[i] {
			out = append(out, o)
		}
	}
	return out
}

func (w *Warehouse) indicatorName(code string) string {
	if ind, ok := w.catalog.Indicator(code); ok {
		return ind.Name
	}
	return code
}

func trimFloat(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%g", v), ".0") }

// resolved is the org an OrgRef names, or why none.
type resolved struct{ code, err string }

// resolveOrgs finds the stored org each reference names: by code, by full
// name (a code column may hold a full name too), or by region and name. A
// name two orgs share is refused rather than guessed.
func (w *Warehouse) resolveOrgs(ctx context.Context, refs []fazhi.OrgRef) ([]resolved, error) {
	orgs, err := w.Orgs(ctx, "")
	if err != nil {
		return nil, err
	}
	byCode := map[string]fazhi.Org{}
	byFull := map[string][]string{}
	byRegion := map[[2]string][]string{}
	for _, o := range orgs {
		byCode[o.Code] = o
		byFull[o.FullName] = append(byFull[o.FullName], o.Code)
		if o.Region != "" {
			k := [2]string{o.Region, o.Name}
			byRegion[k] = append(byRegion[k], o.Code)
		}
	}
	one := func(codes []string, what string) resolved {
		switch len(codes) {
		case 0:
			return resolved{err: fmt.Sprintf("系统中没有单位“%s”，请核对单位名称或填写单位编码", what)}
		case 1:
			return resolved{code: codes[0]}
		}
		return resolved{err: fmt.Sprintf("“%s”对应多个单位（%s），请填写单位编码", what, strings.Join(codes, "、"))}
	}
	out := make([]resolved, len(refs))
	for i, r := range refs {
		switch {
		case r.Code != "":
			if _, ok := byCode[r.Code]; ok {
				out[i] = resolved{code: r.Code}
			} else if codes := byFull[r.Code]; len(codes) > 0 {
				out[i] = one(codes, r.Code)
			} else {
				out[i] = resolved{err: fmt.Sprintf("系统中没有编码或名称为“%s”的单位", r.Code)}
			}
		case r.Region != "" && r.Name != "":
			codes := byRegion[[2]string{r.Region, r.Name}]
			if len(codes) == 0 {
				codes = byFull[r.Region+r.Name]
			}
			out[i] = one(codes, r.Region+" "+r.Name)
		case r.FullName != "" || r.Name != "":
			name := r.FullName
			if name == "" {
				name = r.Name
			}
			out[i] = one(byFull[name], name)
		default:
			out[i] = resolved{err: "没有填写单位"}
		}
	}
	return out, nil
}
