# Empty dependencies file for LatentRulesNative.
# This may be replaced when dependencies are built.
