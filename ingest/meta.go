package ingest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Evidence is where a metadata value was read: the quote and its byte
// offsets in the original file, and which kind of place it came from.
type Evidence struct {
	Value  string `json:"value"`
	Quote  string `json:"quote"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Source string `json:"source"` // see the Source* constants
}

// Evidence sources, from the most to the least reliable.
const (
	SourceTitle       = "title"        // the report's title line
	SourcePublisher   = "publisher"    // a 发布机构 / 发布单位 field of the page
	SourceOpening     = "opening"      // the first sentence, "2020年,我局…"
	SourceBody        = "body"         // elsewhere in the report
	SourceField       = "field"        // a 来源 / 日期 field of the page
	SourceAddressee   = "addressee"    // the superior the report is sent to
	SourceNote        = "source-note"  // the "# source:" header of a saved page
	SourceURL         = "url"          // the page address in that header
	SourcePublishDate = "publish-date" // inferred from the publish date
)

// Meta is what a report says about itself. Values that the text does not
// state stay empty (Year 0); each value found has its Evidence.
type Meta struct {
	Title       string `json:"title,omitempty"`
	Region      string `json:"region,omitempty"`      // e.g. 重庆市长寿区
	Bureau      string `json:"bureau,omitempty"`      // reporting unit as written, e.g. 区卫生健康委员会
	BureauType  string `json:"bureau_type,omitempty"` // e.g. 卫健, 教育, 政府
	Year        int    `json:"year,omitempty"`        // the year reported on
	PublishDate string `json:"publish_date,omitempty"`

	TitleEvidence       *Evidence `json:"title_evidence,omitempty"`
	RegionEvidence      *Evidence `json:"region_evidence,omitempty"`
	BureauEvidence      *Evidence `json:"bureau_evidence,omitempty"`
	YearEvidence        *Evidence `json:"year_evidence,omitempty"`
	PublishDateEvidence *Evidence `json:"publish_date_evidence,omitempty"`
}

var (
	titleYear    = regexp.MustCompile(`((?:19|20)\d{2})\s*年`)
	openingYear  = regexp.MustCompile(`^\s*((?:19|20)\d{2})\s*年(?:度|以来|来)?\s*[,，、]`)
	fieldDate    = regexp.MustCompile(`(?:发布时间|发布日期|成文日期|生成日期|更新时间|日期|时间)\s*[::]?\s*((?:19|20)\d{2})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})`)
	urlDate      = regexp.MustCompile(`/t((?:19|20)\d{2})(\d{2})(\d{2})_|/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/`)
	publisherTag = regexp.MustCompile(`(?:发布机构|发布单位|发文机关)\s*[::]\s*`)
	sourceTag    = regexp.MustCompile(`(?:文章来源|信息来源|来源)\s*[::]\s*`)
)

// readMeta reads title, region, reporting unit, year and publish date.
func (r *Report) readMeta() Meta {
	var m Meta
	title, hasTitle := r.findTitle()
	if hasTitle {
		ev := r.evidence(strings.TrimSpace(r.plain(title.start, title.end)), SourceTitle, title.start, title.end)
		m.Title, m.TitleEvidence = ev.Value, &ev
	}
	r.readPublishDate(&m)
	r.readOrg(&m, title, hasTitle)
	r.readYear(&m, title, hasTitle)
	return m
}

// findTitle is the first short prose line near the top naming a report.
func (r *Report) findTitle() (span, bool) {
	seen := 0
	for _, ln := range r.lines {
		a, b := trimSpan(r.norm, ln.start, ln.end)
		if a == b || ln.kind == lineSource {
			continue
		}
		if seen++; seen > 25 {
			break
		}
		s := r.norm[a:b]
		if ln.kind != lineBody || !strings.Contains(s, "报告") || strings.Contains(s, "如下") ||
			strings.HasPrefix(s, "《") || strings.HasSuffix(s, ":") || utf8.RuneCountInString(s) > 70 ||
			!titleYear.MatchString(s) && !strings.Contains(s, "法治") {
			continue
		}
		return span{a, b}, true
	}
	return span{}, false
}

func (r *Report) readPublishDate(m *Meta) {
	for _, ln := range r.lines {
		if ln.kind != lineChrome {
			continue
		}
		if loc := fieldDate.FindStringSubmatchIndex(r.norm[ln.start:ln.end]); loc != nil {
			s := r.norm[ln.start:ln.end]
			if date, ok := isoDate(s[loc[2]:loc[3]], s[loc[4]:loc[5]], s[loc[6]:loc[7]]); ok {
				ev := r.evidence(date, SourceField, ln.start+loc[2], ln.start+loc[7])
				m.PublishDate, m.PublishDateEvidence = date, &ev
				return
			}
		}
	}
	for _, ln := range r.lines {
		if ln.kind != lineSource {
			continue
		}
		s := r.norm[ln.start:ln.end]
		loc := urlDate.FindStringSubmatchIndex(s)
		if loc == nil {
			continue
		}
		g := 2
		if loc[2] < 0 {
			g = 8
		}
		if date, ok := isoDate(s[loc[g]:loc[g+1]], s[loc[g+2]:loc[g+3]], s[loc[g+4]:loc[g+5]]); ok {
			ev := r.evidence(date, SourceURL, ln.start+loc[0], ln.start+loc[1])
			m.PublishDate, m.PublishDateEvidence = date, &ev
			return
		}
	}
}

func isoDate(y, mo, d string) (string, bool) {
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(mo)
	day, _ := strconv.Atoi(d)
	if year < 1990 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31 {
		return "", false
	}
	return fmt.Sprintf("%04d-%02d-%02d", year, month, day), true
}

// readYear takes the year of the title, else of the opening sentence
// ("2020年,我局…"), else the year the text states elsewhere (statedYear),
// else infers it from the publish date: annual reports come
// out in the first half of the following year. A page-header date widget is
// chrome and never read.
func (r *Report) readYear(m *Meta, title span, hasTitle bool) {
	set := func(y string, src string, a, b int) {
		m.Year, _ = strconv.Atoi(y)
		ev := r.evidence(y, src, a, b)
		m.YearEvidence = &ev
	}
	if hasTitle {
		if loc := titleYear.FindStringSubmatchIndex(r.norm[title.start:title.end]); loc != nil {
			s := r.norm[title.start:title.end]
			set(s[loc[2]:loc[3]], SourceTitle, title.start+loc[0], title.start+loc[1])
			return
		}
	}
	for _, ln := range r.lines {
		if ln.kind != lineBody {
			continue
		}
		s := r.norm[ln.start:ln.end]
		if loc := openingYear.FindStringSubmatchIndex(s); loc != nil {
			set(s[loc[2]:loc[3]], SourceOpening, ln.start+loc[2], ln.start+loc[1])
			return
		}
	}
	if y, a, b, src, ok := r.statedYear(); ok {
		set(y, src, a, b)
		return
	}
	if m.PublishDateEvidence != nil {
		y, _ := strconv.Atoi(m.PublishDate[:4])
		month, _ := strconv.Atoi(m.PublishDate[5:7])
		if month <= 6 {
			y--
		}
		m.Year = y
		ev := *m.PublishDateEvidence
		ev.Value, ev.Source = strconv.Itoa(y), SourcePublishDate
		m.YearEvidence = &ev
	}
}
