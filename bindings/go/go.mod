module seccomppin

go 1.19
