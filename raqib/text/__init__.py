"""Arabic text machinery: normalisation with an offset map, sentences, tokens and clitics."""
