"""Pure analyses, DataFrame in and typed result out: tiers, curves, half-lives, premiums, concentration and breaks."""
