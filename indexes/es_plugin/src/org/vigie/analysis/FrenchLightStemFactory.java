package org.vigie.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenFilterFactory;

/** Lucene's light French stemmer (Savoy): "inondations" and "inondation" share a stem. */
@NamedComponent("vigie_french_light_stem")
public class FrenchLightStemFactory implements TokenFilterFactory {
    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new FrenchLightStemFilter(tokenStream);
    }
}
