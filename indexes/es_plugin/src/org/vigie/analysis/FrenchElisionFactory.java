package org.vigie.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/** Removes French elided articles: "l'école" -> "école", "qu'il" -> "il". */
@NamedComponent("vigie_french_elision")
public class FrenchElisionFactory implements TokenFilterFactory {
    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new ElisionFilter(tokenStream, FrenchAnalyzer.DEFAULT_ARTICLES);
    }
}
