# The KUnit benchmark's table (bench/run.sh): from the "sleepproxy-bench:"
# lines of one or more boots' kernel logs, each case's lowest cost above
# the empty hook, its goal, and how flat unrelated IPv4 stays from 1 host
# to the most.  Tested by tests/bench-table.sh.
/sleepproxy-bench: case=/ {
	for (i = 1; i <= NF; i++) {
		split($i, kv, "=")
		v[kv[1]] = kv[2]
	}
	k = v["case"] SUBSEP v["hosts"]
	above = v["ns"] - v["base"]
	if (!(k in best)) {
		order[n++] = k
		c[k] = v["case"]; h[k] = v["hosts"]
	} else if (above >= best[k]) {
		next
	}
	best[k] = above; ns[k] = v["ns"]; base[k] = v["base"]
}
END {
	for (i = 0; i < n; i++) {
		k = order[i]; above = best[k]
		if (c[k] == "none-asleep") {
			goal = "< 5 ns"; met = above < 5
		} else {
			goal = "< 20 ns"; met = above < 20
		}
		printf "| %s | %s | %.1f | %.1f | %.1f | %s | %s |\n", c[k], h[k],
			ns[k], base[k], above, goal, met ? "met" : "not met"
		if (c[k] == "ipv4-unrelated") {
			if (h[k] == 1) one = above
			last = above; lasth = h[k]
		}
	}
	if (one != "" && lasth > 1) {
		r = (one > 0 ? last / one : 1)
		printf "\nipv4-unrelated from 1 to %s hosts: %.2fx (goal: within 1.5x, %s)\n",
			lasth, r, r <= 1.5 ? "met" : "not met"
	}
}
