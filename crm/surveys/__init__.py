"""The yearly satisfaction survey of employers and partners (the projet associatif's qualitative
indicators): answered by personal link without an account, results on the indicators page and in the
board report."""
