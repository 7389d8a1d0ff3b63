#!/usr/bin/env python3
"""Side-by-side benchmark of iolab and fio (see bench/run.sh).

Both tools get the same fio-style command line; each workload is run
BENCH_ROUNDS times per tool, alternating, and the medians are compared.
CPU seconds and peak RSS come from the kernel's accounting of the child
(wait4 rusage), not from the tools' own reports.
"""
import json, os, platform, shutil, statistics, subprocess, sys, tempfile, time, datetime

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECS = int(os.environ.get("BENCH_SECONDS", "5"))
DIR = os.environ.get("BENCH_DIR", "/var/tmp")
IOLAB = os.path.abspath(os.environ.get("IOLAB", "./iolab"))
OUT_MD = os.environ.get("BENCH_OUT", "BENCHMARKS.md")

scratch = os.path.join(DIR, "iolab-bench.dat")
SIZE = "1g"


def common(*extra):
    return ["--name=bench", "--time_based", f"--runtime={SECS}", *extra]


WORKLOADS = [
    ("null 4k randread QD1", common("--ioengine=null", "--rw=randread", "--bs=4k", "--size=1g", "--iodepth=1")),
    ("null 4k randread QD32", common("--ioengine=null", "--rw=randread", "--bs=4k", "--size=1g", "--iodepth=32")),
    ("psync 4k randread QD1 direct", common("--ioengine=psync", "--rw=randread", "--bs=4k", "--direct=1", f"--filename={scratch}", f"--size={SIZE}")),
    ("libaio 4k randread QD32 direct", common("--ioengine=libaio", "--rw=randread", "--bs=4k", "--direct=1", "--iodepth=32", f"--filename={scratch}", f"--size={SIZE}")),
    ("io_uring 4k randread QD32 direct", common("--ioengine=io_uring", "--rw=randread", "--bs=4k", "--direct=1", "--iodepth=32", f"--filename={scratch}", f"--size={SIZE}")),
    ("io_uring 128k read QD8 direct", common("--ioengine=io_uring", "--rw=read", "--bs=128k", "--direct=1", "--iodepth=8", f"--filename={scratch}", f"--size={SIZE}")),
    ("null 4k randread 8 jobs", common("--ioengine=null", "--rw=randread", "--bs=4k", "--size=1g", "--numjobs=8", "--thread", "--group_reporting")),
]


def run(cmd, env=None):
    """Run cmd; return (json, cpu_seconds, maxrss_kib, wall)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = b"", b""
    # wait4 gives this child's own rusage
    pid, status, ru = os.wait4(p.pid, 0)
    out = p.stdout.read(); err = p.stderr.read()
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{cmd[0]} failed: {err.decode(errors='replace')[-400:]}")
    text = out.decode(errors="replace")
    text = text[text.index("{"):]
    return json.loads(text), ru.ru_utime + ru.ru_stime, ru.ru_maxrss, wall


def figures(js):
    jobs = js["jobs"]
    ios = iops = 0.0
    lat_mean = []; p99 = []
    for j in jobs:
        for d in ("read", "write"):
            s = j[d]
            if s["total_ios"] == 0:
                continue
            ios += s["total_ios"]; iops += s["iops"]
            lat_mean.append(s["lat_ns"]["mean"])
            p99.append(s["clat_ns"]["percentile"].get("99.000000", 0))
    return ios, iops, (statistics.mean(lat_mean) if lat_mean else 0), (max(p99) if p99 else 0)


def tool_cmd(tool, args):
    if tool == "fio":
        return ["fio", "--output-format=json", *args]
    return [IOLAB, "--headless", "--output-format=json", *args]


def layout():
    if not os.path.exists(scratch) or os.path.getsize(scratch) < (1 << 30):
        subprocess.run(["fio", "--name=layout", f"--filename={scratch}", f"--size={SIZE}",
                        "--rw=write", "--bs=1m", "--output=/dev/null"], check=True)


def tui_run(args):
    """iolab with the TUI open in tmux; results come from --output JSON."""
    if not shutil.which("tmux"):
        return None
    sock = f"iolab-bench-{os.getpid()}"
    with tempfile.TemporaryDirectory() as td:
        outf = os.path.join(td, "out.json")
        cmd = " ".join([IOLAB, "--run", "--output-format=json", f"--output={outf}", *args])
        subprocess.run(["tmux", "-L", sock, "new-session", "-d", "-x", "120", "-y", "40",
                        f"env LANG=C.UTF-8 {cmd}; sleep 30"], check=True)
        # the results are written when the workbench closes: once the job
        # has had its runtime, press q (it quits at once when no job runs)
        time.sleep(SECS + 1)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (os.path.exists(outf) and os.path.getsize(outf) > 0):
            subprocess.run(["tmux", "-L", sock, "send-keys", "q"], stderr=subprocess.DEVNULL)
            time.sleep(0.5)
        time.sleep(0.5)
        subprocess.run(["tmux", "-L", sock, "kill-server"], stderr=subprocess.DEVNULL)
        if not os.path.exists(outf):
            return None
        with open(outf) as f:
            return figures(json.load(f))[1]


def main():
    load0 = os.getloadavg()
    layout()
    rows = []
    for name, args in WORKLOADS:
        res = {"iolab": [], "fio": []}
        for r in range(ROUNDS):
            for tool in ("iolab", "fio") if r % 2 == 0 else ("fio", "iolab"):
                js, cpu, rss, wall = run(tool_cmd(tool, args))
                ios, iops, lat, p99 = figures(js)
                res[tool].append(dict(iops=iops, lat=lat, p99=p99,
                                      cpu_per_m=cpu / ios * 1e6 if ios else 0, rss=rss))
                print(f"  {name:34s} {tool:5s} round {r + 1}: {iops:12.0f} IOPS  lat {lat / 1000:8.2f} us  "
                      f"cpu/Mio {cpu / ios * 1e6 if ios else 0:6.2f} s  rss {rss / 1024:6.1f} MiB", flush=True)
        med = {t: {k: statistics.median(x[k] for x in v) for k in v[0]} for t, v in res.items()}
        rows.append((name, med))

    # UI overhead: same io_uring run with the TUI open vs headless.
    ui_args = WORKLOADS[4][1]
    ui = []
    for r in range(ROUNDS):
        head = figures(run(tool_cmd("iolab", ui_args))[0])[1]
        tui = tui_run(ui_args)
        if tui is not None:
            ui.append((tui, head))
            print(f"  TUI vs headless round {r + 1}: {tui:.0f} vs {head:.0f} IOPS", flush=True)

    # What the heat map's histograms cost per I/O: the null engine at QD1
    # with samples every 100 ms (the most the sampler does), with the
    # histograms and without (IOLAB_BENCH_NO_HEAT), alternated, and fio.
    heat_args = [*WORKLOADS[0][1], "--status-interval=100ms"]
    no_heat = dict(os.environ, IOLAB_BENCH_NO_HEAT="1")
    heat = {"on": [], "off": [], "fio": []}
    for r in range(ROUNDS):
        order = ("on", "off", "fio") if r % 2 == 0 else ("fio", "off", "on")
        for k in order:
            if k == "fio":
                js = run(tool_cmd("fio", WORKLOADS[0][1]))[0]
            else:
                js = run(tool_cmd("iolab", heat_args), no_heat if k == "off" else None)[0]
            heat[k].append(figures(js)[1])
            print(f"  heat map {k:3s} round {r + 1}: {heat[k][-1]:.0f} IOPS", flush=True)

    # Memory for 8 jobs and an hour of 100 ms samples (simulated time).
    mem = None
    mb = os.path.join(os.environ.get("O", "build"), "bench", "samples_mem")
    if os.path.exists(mb):
        p = subprocess.run([mb], capture_output=True, text=True)
        mem = p.stdout.strip().splitlines()

    # The recording readers (--replay, --compare) on 8 jobs x 1 hour at 100 ms.
    rec = None
    rb = os.path.join(os.environ.get("O", "build"), "bench", "record_read")
    if os.path.exists(rb):
        rec = subprocess.run([rb], capture_output=True, text=True).stdout.strip().splitlines()

    # The cost of each candidate clock, behind lib/clock.h's choice.
    clocks = None
    cb = os.path.join(os.environ.get("O", "build"), "bench", "clock_bench")
    if os.path.exists(cb):
        clocks = subprocess.run([cb], capture_output=True, text=True).stdout.strip()

    ratio = lambda a, b: (a / b) if b else float("nan")
    lines = []
    lines.append("| workload | iolab IOPS | fio IOPS | IOPS ratio | iolab lat mean us | fio lat mean us | lat ratio "
                 "| iolab p99 us | fio p99 us | iolab CPU s/M I/O | fio CPU s/M I/O | CPU ratio | iolab RSS MiB | fio RSS MiB |")
    lines.append("|" + "---|" * 14)
    for name, m in rows:
        a, b = m["iolab"], m["fio"]
        lines.append(f"| {name} | {a['iops']:.0f} | {b['iops']:.0f} | {ratio(a['iops'], b['iops']):.3f} "
                     f"| {a['lat'] / 1000:.2f} | {b['lat'] / 1000:.2f} | {ratio(a['lat'], b['lat']):.3f} "
                     f"| {a['p99'] / 1000:.2f} | {b['p99'] / 1000:.2f} "
                     f"| {a['cpu_per_m']:.2f} | {b['cpu_per_m']:.2f} | {ratio(a['cpu_per_m'], b['cpu_per_m']):.3f} "
                     f"| {a['rss'] / 1024:.1f} | {b['rss'] / 1024:.1f} |")
    if ui:
        t = statistics.median(x[0] for x in ui); h = statistics.median(x[1] for x in ui)
        lines.append("")
        lines.append(f"TUI open in tmux vs headless (io_uring 4k randread QD32 direct): {t:.0f} vs {h:.0f} IOPS, "
                     f"ratio {ratio(t, h):.3f}")
    if heat["on"]:
        on, off, fi = (statistics.median(heat[k]) for k in ("on", "off", "fio"))
        lines.append("")
        rounds = lambda k: " ".join(f"{v / 1e6:.2f}M" for v in heat[k])
        lines.append(f"Heat map data, null 4k randread QD1, samples every 100 ms (bench/bench.py): "
                     f"{on:.0f} IOPS with the histograms, {off:.0f} without (IOLAB_BENCH_NO_HEAT), "
                     f"ratio {ratio(on, off):.3f}; fio {fi:.0f}, iolab with histograms / fio {ratio(on, fi):.3f} "
                     f"(rounds: with {rounds('on')}, without {rounds('off')}, fio {rounds('fio')}). "
                     f"The histograms add no work per I/O (the sampler copies the ones the workers keep "
                     f"anyway, once a tick), so this ratio is the machine's noise around 1.")
    if mem:
        lines.append("")
        lines.append("Sample store, 8 jobs, one simulated hour at 100 ms (bench/samples_mem.c):")
        lines.append("")
        for m in mem:
            lines.append(f"- {m}")
    if rec:
        lines.append("")
        lines.append("Recordings read back, 8 jobs x 1 hour at 100 ms, 288,000 tick lines with "
                     "histograms (bench/record_read.c; the wall clock moves with the machine's "
                     "load, the CPU seconds less):")
        lines.append("")
        for m in rec:
            lines.append(f"- {m}")
    if clocks:
        lines.append("")
        lines.append("### Time sources (bench/clock_bench.c)")
        lines.append("")
        lines.append(clocks)
    table = "\n".join(lines)
    print(table)

    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for l in f:
                if l.startswith("model name"):
                    cpu = l.split(":", 1)[1].strip(); break
    except OSError:
        pass
    fio_ver = subprocess.run(["fio", "--version"], capture_output=True, text=True).stdout.strip()
    with open(OUT_MD, "w") as f:
        f.write("# Benchmarks\n\n")
        f.write("Written by `make bench` (bench/run.sh): iolab and fio run alternately on the same\n"
                "fio-style command lines, medians of the rounds. CPU and RSS are the kernel's rusage of\n"
                "each process. Not asserted in tests; numbers move with the machine.\n\n")
        f.write(f"- date: {datetime.date.today().isoformat()}\n- machine: {os.cpu_count()} CPUs, {cpu}, "
                f"kernel {platform.release()}\n- fio: {fio_ver}\n- rounds: {ROUNDS}, {SECS} s each, "
                f"scratch file {scratch} ({SIZE})\n- load average (1 min) at the start and the end: "
                f"{load0[0]:.2f}, {os.getloadavg()[0]:.2f} (other work on the machine moves the figures)\n\n")
        f.write(table + "\n")
    print(f"bench: wrote {OUT_MD}")


if __name__ == "__main__":
    main()
