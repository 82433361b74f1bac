# fazhi — 法治指标看板. `make run` on a fresh machine builds and serves the
# sample; `make test` is what CI runs. See README.md.

GO        ?= go
ECHARTS   := dashboards/static/vendor/echarts.min.js
ADDR      ?= 127.0.0.1:8080
DB        ?= data/fazhi.duckdb
# make run lets anyone on ADDR read the dashboards at once (the sample is
# public); uploads, review and admin pages need the admin password that the
# first start prints. PUBLIC_READ=false asks everyone to sign in.
PUBLIC_READ ?= true
export CGO_ENABLED := 1

.PHONY: build run test vet bench reliability fuzz assets clean

build: $(ECHARTS)
	$(GO) build -o bin/fazhi ./cmd/fazhi

run: build
	./bin/fazhi serve --addr $(ADDR) --db $(DB) --public-read=$(PUBLIC_READ)

# echarts comes from the npm package pinned in package.json/package-lock.json
# and is embedded in the binary: pages never load anything from another host.
assets: $(ECHARTS)

$(ECHARTS): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(dir $@)
	cp node_modules/echarts/dist/echarts.min.js $@

vet: $(ECHARTS)
	$(GO) vet ./...

test: vet
	$(GO) test ./...

# Crash and load tests (docs/reliability.md): fazhi killed with SIGKILL 20
# times during large imports, then 50 readers and 5 uploaders for 60 s.
# About 5 minutes; FAZHI_KILLS and FAZHI_LOAD_SECONDS shorten them.
reliability: $(ECHARTS)
	$(GO) test -tags reliability -run '^TestReliability' -v -timeout 30m ./cmd/fazhi

# Each fuzz target for FUZZTIME (the seed corpora also run in make test).
FUZZTIME ?= 20s
FUZZ_TARGETS := ./ingest:FuzzReadReport ./ingest:FuzzExtract ./ingest:FuzzReadCSV ./ingest:FuzzReadXLSX
fuzz: $(ECHARTS)
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name ($$pkg) for $(FUZZTIME)"; \
		$(GO) test $$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 3s || exit 1; \
	done

bench: $(ECHARTS)
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin node_modules dashboards/static/vendor
