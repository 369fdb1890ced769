# SPDX-License-Identifier: GPL-2.0
# Bytes acknowledged by B over time across A's move (bench-rewrite.sh).
# Set on the command line: data (file of "seconds bytes"), move (seconds
# when A's old address went), output.
set terminal pngcairo size 900,500
set title "TCP from A to B, 20 ms one-way delay: A's address changes"
set xlabel "time (s)"
set ylabel "bytes acknowledged by B (MB)"
set key left top
set grid
set arrow from move, graph 0 to move, graph 1 nohead dashtype 2 lc rgb "red"
set label "old address gone" at move, graph 0.95 offset 0.5, 0 tc rgb "red"
plot data using 1:($2 / 1e6) with lines lw 2 title "acknowledged"
