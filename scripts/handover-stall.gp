# SPDX-License-Identifier: GPL-2.0
# Bytes B received over time in one handover case (bench-handover.sh).
# Set on the command line: data (file of "seconds bytes"), title, output.
set terminal pngcairo size 900,500
set title title
set xlabel "time (s)"
set ylabel "bytes received by B (MB)"
set key left top
set grid
plot data using 1:($2 / 1e6) with lines lw 2 title "received"
